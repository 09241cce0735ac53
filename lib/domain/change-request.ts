/**
 * The life of a change request: the states, which events move it where, and the approval rules.
 * Pure: the caller passes the request, its approvals, the rule of the target environment and the actor.
 */

export const CR_STATES = ["draft", "in_review", "approved", "applied", "rejected", "cancelled", "failed", "outdated"] as const;
export type CrState = (typeof CR_STATES)[number];

export const CR_EVENTS = ["submit", "approve", "reject", "apply", "bypass", "fail", "cancel", "outdate", "refresh"] as const;
export type CrEvent = (typeof CR_EVENTS)[number];

export const FINAL_STATES: ReadonlySet<CrState> = new Set(["applied", "rejected", "cancelled", "failed"]);

/**
 * Allowed transitions. "approve" keeps a request in review until the required approvals are met
 * (the caller says which with `approvalsMet`); "refresh" recomputes an outdated request and puts it
 * back in review with its approvals reset.
 */
const TRANSITIONS: Record<CrState, Partial<Record<CrEvent, CrState | "in_review|approved">>> = {
  draft: { submit: "in_review", cancel: "cancelled", outdate: "outdated" },
  in_review: { approve: "in_review|approved", reject: "rejected", bypass: "applied", cancel: "cancelled", outdate: "outdated" },
  approved: { apply: "applied", fail: "failed", reject: "rejected", bypass: "applied", cancel: "cancelled", outdate: "outdated" },
  outdated: { refresh: "in_review", cancel: "cancelled" },
  applied: {},
  rejected: {},
  cancelled: {},
  failed: {},
};

export type Transition = { ok: true; state: CrState } | { ok: false; reason: string };

export function nextState(state: CrState, event: CrEvent, opts: { approvalsMet?: boolean } = {}): Transition {
  const to = TRANSITIONS[state][event];
  if (!to) {
    return {
      ok: false,
      reason: FINAL_STATES.has(state)
        ? `the request is ${label(state)}; nothing more can happen to it`
        : `a request that is ${label(state)} cannot be ${PAST[event]}`,
    };
  }
  if (to === "in_review|approved") return { ok: true, state: opts.approvalsMet ? "approved" : "in_review" };
  return { ok: true, state: to };
}

const PAST: Record<CrEvent, string> = {
  submit: "submitted",
  approve: "approved",
  reject: "rejected",
  apply: "applied",
  bypass: "applied by bypass",
  fail: "marked failed",
  cancel: "cancelled",
  outdate: "outdated",
  refresh: "refreshed",
};

export function label(state: CrState): string {
  return state.replace("_", " ");
}

export interface ApprovalRule {
  requiredApprovals: number;
  /** Roles whose members may approve (admin always may). */
  approverRoles: string[];
  allowBypass: boolean;
}

export interface Decision {
  userId: string;
  decision: "approve" | "reject";
  /** The content version the decision was given on: approvals reset when the content changes. */
  contentVersion: number;
}

export interface ApprovalState {
  approvals: string[];
  rejectedBy: string | null;
  missing: number;
  met: boolean;
}

/** Counts the approvals that hold for the current content version. */
export function approvalState(rule: ApprovalRule, decisions: readonly Decision[], contentVersion: number): ApprovalState {
  const current = decisions.filter((d) => d.contentVersion === contentVersion);
  const approvals = [...new Set(current.filter((d) => d.decision === "approve").map((d) => d.userId))];
  const rejectedBy = current.find((d) => d.decision === "reject")?.userId ?? null;
  const missing = Math.max(0, rule.requiredApprovals - approvals.length);
  return { approvals, rejectedBy, missing, met: missing === 0 && rejectedBy === null };
}

export type Refusal = { ok: true } | { ok: false; reason: string };

/** Whether this person may approve or reject now: never their own request, once per content version. */
export function mayDecide(
  actor: { id: string; roles: readonly string[] },
  request: { authorId: string; state: CrState; contentVersion: number },
  rule: ApprovalRule,
  decisions: readonly Decision[],
): Refusal {
  if (actor.id === request.authorId) return { ok: false, reason: "the author of a change request can never approve or reject it" };
  if (request.state !== "in_review" && request.state !== "approved") {
    return { ok: false, reason: `the request is ${label(request.state)}, not in review` };
  }
  if (!actor.roles.includes("admin") && !actor.roles.some((r) => rule.approverRoles.includes(r))) {
    return { ok: false, reason: `only ${rule.approverRoles.join(" or ")} may approve changes to this environment` };
  }
  if (decisions.some((d) => d.userId === actor.id && d.contentVersion === request.contentVersion)) {
    return { ok: false, reason: "you already gave your decision on this version of the request" };
  }
  return { ok: true };
}
