import "server-only";
import { and, eq } from "drizzle-orm";
import { stringify } from "yaml";
import { z } from "zod";
import { configRevisions, observedConfigs } from "@/drizzle/schema";
import type { ConfigObject } from "@/lib/domain/config-value";
import { adoptObserved as adoptInto, type DriftEntry } from "@/lib/domain/drift";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { ServiceError } from "../errors";
import { ensureLayer } from "../configs/lookup";
import { saveLayer } from "../configs/save-layer";
import { openChangeRequest } from "../promotions/open-change-request";
import { driftPairInput } from "./get-drift-detail";
import { loadPair, lockStatus, recordRemediation } from "./load-pair";
import { scanPairs } from "./scan";

export const adoptObservedInput = driftPairInput.extend({ message: z.string().trim().max(500).optional() });

/**
 * Makes the SSOT say what the service runs: the environment overlay takes the observed values at
 * the drifted paths. A protected environment gets a change request (approvals, checks); another
 * environment is saved directly, as an operator's edit would be. Secrets are never adopted.
 */
export async function adoptObserved({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof adoptObservedInput>>) {
  const q = adoptObservedInput.parse(input);
  authorize(principal, "drift:remediate", { service: q.service, environment: q.env });
  return withTransaction(tx, async (t) => {
    const p = await loadPair(t, q.service, q.env);
    if (!(await lockStatus(t, p))) throw new ServiceError("conflict", `${q.service} never reported its config in ${q.env}: there is nothing to adopt.`);
    // The drift as of now, not as of the last scan.
    await scanPairs(t, [p.pair], { force: true });
    const row = (await lockStatus(t, p))!;
    const entries = row.paths as DriftEntry[];
    if (entries.length === 0) throw new ServiceError("conflict", `${q.service} in ${q.env} runs what the SSOT says: there is nothing to adopt.`);
    const [observed] = await t.select({ value: observedConfigs.value }).from(observedConfigs).where(and(eq(observedConfigs.serviceId, p.service.id), eq(observedConfigs.environmentId, p.environment.id)));
    const layer = await ensureLayer(t, { kind: "overlay", serviceId: p.service.id, environmentId: p.environment.id });
    const head = layer.headRevisionId ? (await t.select().from(configRevisions).where(eq(configRevisions.id, layer.headRevisionId)))[0] : undefined;
    const { overlay, adopted, skippedSecrets } = adoptInto((head?.value as ConfigObject | undefined) ?? {}, entries, observed!.value as ConfigObject);
    if (adopted.length === 0) {
      throw new ServiceError("conflict", `Only secrets differ (${skippedSecrets.join(", ")}); Nexus never learns their running values, so they cannot be adopted. Set the secret in Nexus instead.`);
    }
    const content = stringify(overlay);
    const message = q.message || `Adopt the observed config of ${q.service} in ${q.env} (${adopted.length} path${adopted.length === 1 ? "" : "s"})`;
    const description = `Adopted from the config ${q.service} reported running in ${q.env}:\n${adopted.map((a) => `- ${a}`).join("\n")}${skippedSecrets.length ? `\n\nSecrets that differ but cannot be adopted: ${skippedSecrets.join(", ")}` : ""}`;

    let result: { mode: "change_request"; changeRequest: { id: string; number: number } } | { mode: "saved"; revision: number };
    if (p.environment.protected) {
      const cr = await openChangeRequest({ principal, input: { kind: "edit", service: q.service, env: q.env, content, format: "yaml", title: message, description }, meta, tx: t });
      result = { mode: "change_request", changeRequest: { id: cr.id, number: cr.number } };
    } else {
      const saved = await saveLayer({ principal, input: { layer: "overlay", service: q.service, env: q.env, content, format: "yaml", message, baseRevision: head?.id ?? null }, meta, tx: t });
      result = { mode: "saved", revision: saved.revision.number };
    }
    await recordRemediation(t, principal, p, {
      kind: "adopt",
      outcome: result.mode === "saved" ? "saved" : "opened",
      desiredHash: row.desiredHash,
      changeRequestId: result.mode === "change_request" ? result.changeRequest.id : null,
      detail: result.mode === "saved" ? `saved as r${result.revision}: ${adopted.join(", ")}` : `change request #${result.changeRequest.number}: ${adopted.join(", ")}`,
    });
    await recordAuditEvent(t, principal, { action: "drift.adopt_observed", targetType: "drift", targetId: `${q.service}/${q.env}`, service: q.service, environment: q.env, after: { adopted, skippedSecrets, ...result } }, meta);
    return { service: q.service, env: q.env, adopted, skippedSecrets, ...result };
  });
}
