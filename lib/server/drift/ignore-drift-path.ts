import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { driftIgnoreRules } from "@/drizzle/schema";
import { ignoreRuleProblem } from "@/lib/domain/drift";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { invalid, notFound, ServiceError } from "../errors";
import { driftPairInput } from "./get-drift-detail";
import { loadPair, lockStatus, recordRemediation } from "./load-pair";
import { markDriftDirty, scanPairs } from "./scan";

export const ignoreDriftPathInput = driftPairInput.extend({
  pattern: z.string().trim().min(1, "give the path to ignore, e.g. /runtime/** or /workers/*/pid").max(500),
  reason: z.string().trim().max(500).default(""),
  /** True: the rule holds in every environment of the service; false: only in this one. */
  allEnvironments: z.boolean().default(false),
});

/** Adds an ignore rule for a service (this environment or all) and rescans at once. */
export async function ignoreDriftPath({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof ignoreDriftPathInput>>) {
  const q = ignoreDriftPathInput.parse(input);
  authorize(principal, "drift:remediate", { service: q.service, environment: q.env });
  const problem = ignoreRuleProblem(q.pattern);
  if (problem) throw invalid(`The ignore rule ${JSON.stringify(q.pattern)} is not valid: ${problem}`, [{ path: "/pattern", message: problem }]);
  return withTransaction(tx, async (t) => {
    const p = await loadPair(t, q.service, q.env);
    const environmentId = q.allEnvironments ? null : p.environment.id;
    const [rule] = await t
      .insert(driftIgnoreRules)
      .values({ serviceId: p.service.id, environmentId, pattern: q.pattern, reason: q.reason, createdBy: principal.name })
      .onConflictDoNothing()
      .returning();
    if (!rule) throw new ServiceError("conflict", `${q.service} already ignores ${q.pattern}${q.allEnvironments ? " in every environment" : ` in ${q.env}`}.`);
    const row = await lockStatus(t, p);
    await recordRemediation(t, principal, p, { kind: "ignore", outcome: "done", desiredHash: row?.desiredHash ?? null, detail: `ignore ${q.pattern}${q.allEnvironments ? " (all environments)" : ""}${q.reason ? `: ${q.reason}` : ""}` });
    await recordAuditEvent(t, principal, { action: "drift.path_ignored", targetType: "drift_ignore_rule", targetId: rule.id, service: q.service, environment: q.allEnvironments ? null : q.env, after: { pattern: q.pattern, reason: q.reason, allEnvironments: q.allEnvironments } }, meta);
    if (q.allEnvironments) await markDriftDirty(t, { serviceId: p.service.id });
    if (row) await scanPairs(t, [p.pair]);
    return { id: rule.id, pattern: rule.pattern, allEnvironments: q.allEnvironments };
  });
}

export const removeIgnoreRuleInput = driftPairInput.extend({ id: z.uuid() });

/** Removes an ignore rule (the path counts as drift again) and rescans. */
export async function removeIgnoreRule({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof removeIgnoreRuleInput>>) {
  const q = removeIgnoreRuleInput.parse(input);
  authorize(principal, "drift:remediate", { service: q.service, environment: q.env });
  return withTransaction(tx, async (t) => {
    const p = await loadPair(t, q.service, q.env);
    const [rule] = await t.delete(driftIgnoreRules).where(and(eq(driftIgnoreRules.id, q.id), eq(driftIgnoreRules.serviceId, p.service.id))).returning();
    if (!rule) throw notFound(`ignore rule ${q.id} of ${q.service}`);
    await recordAuditEvent(t, principal, { action: "drift.ignore_removed", targetType: "drift_ignore_rule", targetId: rule.id, service: q.service, environment: rule.environmentId ? q.env : null, before: { pattern: rule.pattern, reason: rule.reason }, after: null }, meta);
    if (!rule.environmentId) await markDriftDirty(t, { serviceId: p.service.id });
    if (await lockStatus(t, p)) await scanPairs(t, [p.pair]);
    return { removed: rule.id };
  });
}
