import "server-only";
import { eq } from "drizzle-orm";
import { changeRequests } from "@/drizzle/schema";
import type { Principal } from "@/lib/auth/permissions";
import { nextState, type CrEvent, type CrState } from "@/lib/domain/change-request";
import type { Transaction } from "@/lib/db/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { RequestMeta } from "../context";
import { ServiceError } from "../errors";
import { emitEvent, scopeOf, type LoadedRequest } from "./load";

const PAST: Record<CrEvent, string> = {
  submit: "submitted",
  approve: "approved",
  reject: "rejected",
  apply: "applied",
  bypass: "bypassed",
  fail: "failed",
  cancel: "cancelled",
  outdate: "outdated",
  refresh: "refreshed",
};

/** Moves a (locked) request through the state machine, or refuses with 409 saying why. */
export async function transition(
  t: Transaction,
  principal: Principal,
  req: LoadedRequest,
  event: CrEvent,
  meta: RequestMeta | undefined,
  opts: { approvalsMet?: boolean; set?: Partial<typeof changeRequests.$inferInsert>; audit?: Record<string, unknown>; action?: string } = {},
): Promise<CrState> {
  const r = nextState(req.cr.state, event, { approvalsMet: opts.approvalsMet });
  if (!r.ok) throw new ServiceError("conflict", `Change request #${req.cr.number}: ${r.reason}.`, { state: req.cr.state });
  await t.update(changeRequests).set({ ...opts.set, state: r.state, updatedAt: new Date() }).where(eq(changeRequests.id, req.cr.id));
  const action = opts.action ?? `change_request.${PAST[event]}`;
  await recordAuditEvent(t, principal, {
    action,
    targetType: "change_request",
    targetId: req.cr.id,
    environment: req.target.name,
    service: req.items.length === 1 ? req.items[0]!.serviceName : null,
    before: { number: req.cr.number, state: req.cr.state },
    after: { number: req.cr.number, state: r.state, ...opts.audit },
  }, meta);
  await emitEvent(t, action, { id: req.cr.id, number: req.cr.number, state: r.state, previous: req.cr.state, by: principal.name, ...opts.audit, ...scopeOf(req) });
  return r.state;
}
