import "server-only";
import { count } from "drizzle-orm";
import { services } from "@/drizzle/schema";
import { can } from "@/lib/auth/permissions";
import { listAuditEvents } from "../audit/list-audit-events";
import { listEnvironments } from "../catalog/list-environments";
import { authorize, reader, type UseCaseArgs } from "../context";

/** The manager's board: what exists and what changed last. */
export async function getOverview({ principal, tx }: UseCaseArgs<void>) {
  authorize(principal, "config:read");
  const db = await reader(tx);
  const [svc] = await db.select({ n: count() }).from(services);
  const environments = await listEnvironments({ principal, input: undefined, tx: db });
  const recent = can(principal, "audit:read")
    ? (await listAuditEvents({ principal, input: { limit: 8 }, tx: db })).items
    : null;
  return { serviceCount: svc?.n ?? 0, environments, recent };
}
