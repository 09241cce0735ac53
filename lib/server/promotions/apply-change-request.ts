import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { changeRequestItems } from "@/drizzle/schema";
import type { ConfigObject } from "@/lib/domain/config-value";
import { withTransaction, type UseCaseArgs } from "../context";
import { ServiceError } from "../errors";
import { writeRevision } from "../configs/save-layer";
import { loadRequest, ruleOf, authorizeOnRequest } from "./load";
import { checksPass, runChecks } from "./run-checks";
import { transition } from "./transition";

export const applyInput = z.object({
  id: z.string().min(1).max(64),
  /** Emergency bypass of missing approvals (admin, where the environment allows it): the reason is required. */
  bypassReason: z.string().trim().min(10, "a bypass needs a written reason (10 characters at least)").max(2000).optional(),
});

/**
 * Applies an approved request in one transaction: the checks run again inside it, every target
 * overlay gets its new revision, the request becomes applied. The row lock makes a second apply wait
 * and then find the request applied (409), so nothing is ever applied twice.
 */
export async function applyChangeRequest({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof applyInput>>) {
  const q = applyInput.parse(input);
  return withTransaction(tx, async (t) => {
    const req = await loadRequest(t, q.id, true);
    const bypass = q.bypassReason !== undefined;
    authorizeOnRequest(principal, bypass ? "changes:bypass" : "changes:apply", req);
    if (bypass && !ruleOf(req.target).allowBypass) {
      throw new ServiceError("forbidden", `${req.target.name} does not allow emergency bypass; an administrator can allow it in the approval rules.`);
    }
    if (!bypass && req.cr.state !== "approved") {
      throw new ServiceError("conflict", `Change request #${req.cr.number} is ${req.cr.state.replace("_", " ")}, not approved: it cannot be applied.`, { state: req.cr.state });
    }
    const { checks } = await runChecks(t, req);
    if (!checksPass(checks)) {
      const failing = checks.filter((c) => !c.ok);
      throw new ServiceError("conflict", `Change request #${req.cr.number} cannot be applied: ${failing.map((c) => `${c.label}: ${c.failures[0]}`).join("; ")}`, { checks: failing });
    }
    const written = [];
    for (const item of req.items) {
      const r = await writeRevision(
        t,
        principal,
        { layer: "overlay", service: item.serviceName, env: req.target.name, format: item.format, message: `${req.cr.title} (change request #${req.cr.number})`, baseRevision: item.baseRevisionId },
        { value: item.value as ConfigObject, source: item.source },
        meta,
        "config.promoted",
        { viaChangeRequest: req.cr.id, extraAudit: { changeRequest: req.cr.number } },
      );
      await t.update(changeRequestItems).set({ appliedRevisionId: r.revision.id }).where(eq(changeRequestItems.id, item.id));
      written.push({ service: item.serviceName, revision: r.revision.number });
    }
    const state = await transition(t, principal, req, bypass ? "bypass" : "apply", meta, {
      set: { appliedAt: new Date(), appliedBy: principal.name, appliedById: principal.id, bypassReason: q.bypassReason ?? null },
      audit: { revisions: written, ...(bypass ? { bypass: true, reason: q.bypassReason } : {}) },
      action: bypass ? "change_request.bypassed" : "change_request.applied",
    });
    return { number: req.cr.number, state, revisions: written };
  });
}
