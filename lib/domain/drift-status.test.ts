import { describe, expect, it } from "vitest";
import { decideDriftStatus, nextTimedChange, type DriftFacts } from "./drift-status";

const t0 = new Date("2026-01-01T10:00:00Z");
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const facts = (over: Partial<DriftFacts> = {}): DriftFacts => ({
  now: at(0),
  lastReportAt: at(-10),
  staleAfterMs: 3_600_000,
  rolloutDeadlineMs: 600_000,
  driftCount: 0,
  desiredHash: "h2",
  ...over,
});

describe("decideDriftStatus", () => {
  it("is unknown before any report, whatever else", () => {
    expect(decideDriftStatus(facts({ lastReportAt: null, driftCount: 3 }), null).status).toBe("unknown");
  });

  it("is stale when the last report is older than the window, in sync or drifted alike", () => {
    expect(decideDriftStatus(facts({ lastReportAt: at(-3601) }), null).status).toBe("stale");
    expect(decideDriftStatus(facts({ lastReportAt: at(-3601), driftCount: 2 }), { status: "drifted", desiredHash: "h2", awaitingUntil: null }).status).toBe("stale");
    expect(decideDriftStatus(facts({ lastReportAt: at(-3599) }), null).status).toBe("in_sync");
  });

  it("is in sync when nothing differs and drifted when something does", () => {
    expect(decideDriftStatus(facts(), null)).toEqual({ status: "in_sync", awaitingUntil: null });
    expect(decideDriftStatus(facts({ driftCount: 1 }), null)).toEqual({ status: "drifted", awaitingUntil: null });
    expect(decideDriftStatus(facts({ driftCount: 1 }), { status: "unknown", desiredHash: null, awaitingUntil: null }).status).toBe("drifted");
  });

  it("awaits the rollout after a desired change from in sync, until the deadline, then drifts", () => {
    const prev = { status: "in_sync" as const, desiredHash: "h1", awaitingUntil: null };
    const first = decideDriftStatus(facts({ driftCount: 4 }), prev);
    expect(first).toEqual({ status: "awaiting_rollout", awaitingUntil: at(600) });
    const waiting = { status: "awaiting_rollout" as const, desiredHash: "h2", awaitingUntil: first.awaitingUntil };
    expect(decideDriftStatus(facts({ now: at(599), lastReportAt: at(500), driftCount: 4 }), waiting)).toEqual(first);
    expect(decideDriftStatus(facts({ now: at(601), lastReportAt: at(500), driftCount: 4 }), waiting).status).toBe("drifted");
    // The service rolled out: in sync, the wait is over.
    expect(decideDriftStatus(facts({ now: at(300), lastReportAt: at(300) }), waiting)).toEqual({ status: "in_sync", awaitingUntil: null });
  });

  it("does not await a rollout when it was drifted already before the desired change", () => {
    expect(decideDriftStatus(facts({ driftCount: 1 }), { status: "drifted", desiredHash: "h1", awaitingUntil: null }).status).toBe("drifted");
  });

  it("says when the clock alone changes the status next", () => {
    const f = facts();
    expect(nextTimedChange(f, { status: "in_sync", awaitingUntil: null })).toEqual(new Date(at(-10).getTime() + 3_600_001));
    expect(nextTimedChange(f, { status: "awaiting_rollout", awaitingUntil: at(60) })).toEqual(new Date(at(60).getTime() + 1));
    expect(nextTimedChange({ lastReportAt: null, staleAfterMs: 1 }, { status: "unknown", awaitingUntil: null })).toBeNull();
  });
});
