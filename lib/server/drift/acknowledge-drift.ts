import "server-only";
import { and, eq } from "drizzle-orm";
import { driftStatus } from "@/drizzle/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { ServiceError } from "../errors";
import { driftPairInput, type DriftPairInput } from "./get-drift-detail";
import { loadPair, lockStatus, recordRemediation } from "./load-pair";

/**
 * Acknowledges a drift: someone looked at it and accepts it for now, so it no longer blocks a
 * promotion into the environment. It holds until the drifted paths change or the drift ends.
 */
export async function acknowledgeDrift({ principal, input, meta, tx }: UseCaseArgs<DriftPairInput>) {
  const q = driftPairInput.parse(input);
  authorize(principal, "drift:remediate", { service: q.service, environment: q.env });
  return withTransaction(tx, async (t) => {
    const p = await loadPair(t, q.service, q.env);
    const row = await lockStatus(t, p);
    if (row?.status !== "drifted") throw new ServiceError("conflict", `${q.service} in ${q.env} is ${row ? row.status.replace("_", " ") : "unknown"}, not drifted: there is nothing to acknowledge.`);
    if (row.acknowledgedAt) throw new ServiceError("conflict", `${row.acknowledgedBy} already acknowledged this drift at ${row.acknowledgedAt.toISOString()}.`);
    const now = new Date();
    await t.update(driftStatus).set({ acknowledgedAt: now, acknowledgedBy: principal.name }).where(and(eq(driftStatus.serviceId, p.pair.serviceId), eq(driftStatus.environmentId, p.pair.environmentId)));
    await recordRemediation(t, principal, p, { kind: "acknowledge", outcome: "done", desiredHash: row.desiredHash, detail: `${row.driftCount} drifted path(s) acknowledged` });
    const paths = (row.paths as { path: string }[]).map((e) => e.path);
    await recordAuditEvent(t, principal, { action: "drift.acknowledged", targetType: "drift", targetId: `${q.service}/${q.env}`, service: q.service, environment: q.env, before: { status: row.status, acknowledged: false }, after: { status: row.status, acknowledged: true, paths } }, meta);
    return { service: q.service, env: q.env, acknowledgedAt: now.toISOString(), acknowledgedBy: principal.name };
  });
}
