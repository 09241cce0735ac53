import { describe, expect, it } from "vitest";
import { approvalState, CR_EVENTS, CR_STATES, mayDecide, nextState, type CrEvent, type CrState, type Decision } from "./change-request";

// Every allowed transition, spelled out: anything not listed must be refused.
const ALLOWED: Record<string, CrState> = {
  "draft/submit": "in_review",
  "draft/cancel": "cancelled",
  "draft/outdate": "outdated",
  "in_review/approve": "in_review",
  "in_review/reject": "rejected",
  "in_review/bypass": "applied",
  "in_review/cancel": "cancelled",
  "in_review/outdate": "outdated",
  "approved/apply": "applied",
  "approved/fail": "failed",
  "approved/reject": "rejected",
  "approved/bypass": "applied",
  "approved/cancel": "cancelled",
  "approved/outdate": "outdated",
  "outdated/refresh": "in_review",
  "outdated/cancel": "cancelled",
};

describe("change request state machine", () => {
  for (const state of CR_STATES) {
    for (const event of CR_EVENTS) {
      const key = `${state}/${event}`;
      const expected = ALLOWED[key];
      it(expected ? `${key} → ${expected}` : `${key} is refused`, () => {
        const r = nextState(state as CrState, event as CrEvent);
        if (expected) expect(r).toEqual({ ok: true, state: expected });
        else {
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.reason).toMatch(/cannot be|nothing more/);
        }
      });
    }
  }

  it("approve moves to approved once the approvals are met", () => {
    expect(nextState("in_review", "approve", { approvalsMet: true })).toEqual({ ok: true, state: "approved" });
  });
});

describe("approval rules", () => {
  const rule = { requiredApprovals: 2, approverRoles: ["approver"], allowBypass: false };
  const request = { authorId: "olivia", state: "in_review" as const, contentVersion: 1 };
  const alice = { id: "alice", roles: ["approver"] };

  it("the author can never approve their own request, whatever their role", () => {
    expect(mayDecide({ id: "olivia", roles: ["admin"] }, request, rule, [])).toMatchObject({ ok: false, reason: expect.stringContaining("author") });
  });

  it("one decision per person per content version", () => {
    const decisions: Decision[] = [{ userId: "alice", decision: "approve", contentVersion: 1 }];
    expect(mayDecide(alice, request, rule, decisions)).toMatchObject({ ok: false, reason: expect.stringContaining("already") });
    expect(mayDecide(alice, { ...request, contentVersion: 2 }, rule, decisions)).toEqual({ ok: true });
  });

  it("only the rule's roles (or admin) may approve", () => {
    expect(mayDecide({ id: "morgan", roles: ["viewer"] }, request, rule, [])).toMatchObject({ ok: false });
    expect(mayDecide({ id: "ada", roles: ["admin"] }, request, rule, [])).toEqual({ ok: true });
  });

  it("a request not in review cannot be decided on", () => {
    expect(mayDecide(alice, { ...request, state: "applied" }, rule, [])).toMatchObject({ ok: false });
  });

  it("counts distinct approvals of the current content version only", () => {
    const decisions: Decision[] = [
      { userId: "alice", decision: "approve", contentVersion: 1 },
      { userId: "bob", decision: "approve", contentVersion: 2 },
    ];
    expect(approvalState(rule, decisions, 2)).toEqual({ approvals: ["bob"], rejectedBy: null, missing: 1, met: false });
    const both = [...decisions, { userId: "alice", decision: "approve" as const, contentVersion: 2 }];
    expect(approvalState(rule, both, 2)).toMatchObject({ missing: 0, met: true });
  });

  it("a rejection by any approver blocks", () => {
    const decisions: Decision[] = [
      { userId: "alice", decision: "approve", contentVersion: 1 },
      { userId: "bob", decision: "approve", contentVersion: 1 },
      { userId: "carol", decision: "reject", contentVersion: 1 },
    ];
    expect(approvalState(rule, decisions, 1)).toMatchObject({ rejectedBy: "carol", met: false });
  });
});
