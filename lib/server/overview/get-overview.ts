import "server-only";
import { count, eq, inArray } from "drizzle-orm";
import { driftStatus, services } from "@/drizzle/schema";
import { can } from "@/lib/auth/permissions";
import { listAuditEvents } from "../audit/list-audit-events";
import { listEnvironments } from "../catalog/list-environments";
import { authorize, reader, type UseCaseArgs } from "../context";
import { getHealthSummary } from "../health/get-health-summary";
import { readableEnvironments } from "../health/visible";
import { environments } from "@/drizzle/schema";

export const DRIFT_STATUSES = ["in_sync", "drifted", "unknown", "stale", "awaiting_rollout"] as const;
export type DriftCounts = Record<(typeof DRIFT_STATUSES)[number], number>;

/** The manager's board: what exists, how healthy and drifted it is, and what changed last. */
export async function getOverview({ principal, tx }: UseCaseArgs<void>) {
  authorize(principal, "config:read");
  const db = await reader(tx);
  const [svc] = await db.select({ n: count() }).from(services);
  const envList = await listEnvironments({ principal, input: undefined, tx: db });
  const recent = can(principal, "audit:read")
    ? (await listAuditEvents({ principal, input: { limit: 8 }, tx: db })).items
    : null;
  const health = await getHealthSummary(db, principal);
  let drift: { environment: string; counts: DriftCounts }[] | null = null;
  if (can(principal, "drift:read")) {
    // Drift is read straight from drift_status (filled by the drift scanner), limited to readable environments.
    const envs = (await readableEnvironments(db, principal)).filter((e) => can(principal, "drift:read", { environment: e.name }));
    const rows = envs.length
      ? await db
          .select({ env: environments.name, status: driftStatus.status, n: count() })
          .from(driftStatus)
          .innerJoin(environments, eq(environments.id, driftStatus.environmentId))
          .where(inArray(driftStatus.environmentId, envs.map((e) => e.id)))
          .groupBy(environments.name, driftStatus.status)
      : [];
    drift = rows.length === 0 ? [] : envs.map((e) => {
      const counts = Object.fromEntries(DRIFT_STATUSES.map((s) => [s, 0])) as DriftCounts;
      for (const r of rows) if (r.env === e.name && r.status in counts) counts[r.status] += Number(r.n);
      return { environment: e.name, counts };
    });
  }
  return { serviceCount: svc?.n ?? 0, environments: envList, recent, health, drift };
}
