import "server-only";
import { z } from "zod";
import { changeRequestDecisions } from "@/drizzle/schema";
import { approvalState, mayDecide } from "@/lib/domain/change-request";
import { withTransaction, type UseCaseArgs } from "../context";
import { ServiceError } from "../errors";
import { loadRequest, ruleOf, authorizeOnRequest } from "./load";
import { transition } from "./transition";

export const decideInput = z.object({ id: z.string().min(1).max(64), decision: z.enum(["approve", "reject"]), comment: z.string().max(5000).default("") });

/** Approves or rejects: never one's own request, once per content version; one rejection rejects. */
export async function decideChangeRequest({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof decideInput>>) {
  const q = decideInput.parse(input);
  return withTransaction(tx, async (t) => {
    const req = await loadRequest(t, q.id, true);
    authorizeOnRequest(principal, "changes:approve", req);
    const rule = ruleOf(req.target);
    const may = mayDecide({ id: principal.id, roles: principal.roles.map((r) => r.role) }, req.cr, rule, req.decisions);
    if (!may.ok) {
      const code = may.reason.includes("author") || may.reason.includes("only ") ? "forbidden" : "conflict";
      throw new ServiceError(code, `You cannot ${q.decision} change request #${req.cr.number}: ${may.reason}.`);
    }
    await t.insert(changeRequestDecisions).values({ changeRequestId: req.cr.id, userId: principal.id, userName: principal.name, decision: q.decision, contentVersion: req.cr.contentVersion, comment: q.comment });
    const decisions = [...req.decisions, { userId: principal.id, decision: q.decision, contentVersion: req.cr.contentVersion }];
    const approvals = approvalState(rule, decisions, req.cr.contentVersion);
    const state = await transition(t, principal, req, q.decision, meta, {
      approvalsMet: approvals.met,
      audit: { approvals: approvals.approvals.length, required: rule.requiredApprovals, comment: q.comment || undefined },
    });
    return { number: req.cr.number, state, approvals: approvals.approvals.length, missing: approvals.missing };
  });
}
