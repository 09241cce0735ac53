import "server-only";
import { count } from "drizzle-orm";
import { environments } from "@/drizzle/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { ServiceError } from "../errors";

/** The pipeline of PRODUCT.md, the same the demo seeds: production protected, with two approvals. */
export const STANDARD_PIPELINE = [
  { name: "development", protected: false, requiredApprovals: 0 },
  { name: "staging", protected: false, requiredApprovals: 1 },
  { name: "production", protected: true, requiredApprovals: 2 },
] as const;

/**
 * Gives a database without any environment the standard pipeline. A fresh installation that is
 * not seeded with the demo has no environment at all, and nothing could be configured in it.
 */
export async function createStandardPipeline({ principal, meta, tx }: UseCaseArgs<void>) {
  authorize(principal, "settings:manage");
  return withTransaction(tx, async (t) => {
    const [row] = await t.select({ n: count() }).from(environments);
    if ((row?.n ?? 0) > 0) throw new ServiceError("conflict", "The database already has environments; the standard pipeline is only for an empty one.");
    const rows = await t
      .insert(environments)
      .values(STANDARD_PIPELINE.map((e, position) => ({ ...e, position })))
      .returning();
    await recordAuditEvent(t, principal, {
      action: "environments.created",
      targetType: "pipeline",
      targetId: "standard",
      after: { environments: rows.map((e) => ({ name: e.name, protected: e.protected, requiredApprovals: e.requiredApprovals })) },
    }, meta);
    return rows.map((e) => e.name);
  });
}
