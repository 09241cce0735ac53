/**
 * The drift status of one service × environment, decided from plain facts and a clock:
 * unknown (never reported), stale (no report within the window), in sync, drifted, or
 * awaiting rollout (the desired config just changed from an in-sync state: the service has until
 * the deadline to report the new config before it counts as drifted).
 */
export const DRIFT_STATUSES = ["in_sync", "drifted", "awaiting_rollout", "stale", "unknown"] as const;
export type DriftStatusName = (typeof DRIFT_STATUSES)[number];

export interface DriftFacts {
  now: Date;
  /** When the service last reported (or was pulled); null if never. */
  lastReportAt: Date | null;
  staleAfterMs: number;
  rolloutDeadlineMs: number;
  /** Number of drifted paths after ignore rules (0: the observed config matches). */
  driftCount: number;
  /** Hash of the desired config the diff was made against. */
  desiredHash: string;
}

export interface PreviousDrift {
  status: DriftStatusName;
  desiredHash: string | null;
  awaitingUntil: Date | null;
}

export interface DriftDecision {
  status: DriftStatusName;
  /** Set while awaiting rollout: when it turns into drifted. */
  awaitingUntil: Date | null;
}

export function decideDriftStatus(f: DriftFacts, prev: PreviousDrift | null): DriftDecision {
  if (!f.lastReportAt) return { status: "unknown", awaitingUntil: null };
  if (f.now.getTime() - f.lastReportAt.getTime() > f.staleAfterMs) return { status: "stale", awaitingUntil: null };
  if (f.driftCount === 0) return { status: "in_sync", awaitingUntil: null };

  const desiredChanged = prev !== null && prev.desiredHash !== null && prev.desiredHash !== f.desiredHash;
  // A new desired config after an in-sync state: the rollout gets its deadline.
  if (desiredChanged && (prev.status === "in_sync" || prev.status === "awaiting_rollout")) {
    // A second change while awaiting starts a fresh deadline: the newest config is what must roll out.
    const fresh = new Date(f.now.getTime() + f.rolloutDeadlineMs);
    return { status: "awaiting_rollout", awaitingUntil: fresh };
  }
  if (prev?.status === "awaiting_rollout" && !desiredChanged && prev.awaitingUntil && prev.awaitingUntil.getTime() > f.now.getTime()) {
    return { status: "awaiting_rollout", awaitingUntil: prev.awaitingUntil };
  }
  return { status: "drifted", awaitingUntil: null };
}

/** When the status could next change by the clock alone (stale window, rollout deadline); null: never. */
export function nextTimedChange(f: Pick<DriftFacts, "lastReportAt" | "staleAfterMs">, d: DriftDecision): Date | null {
  const times: number[] = [];
  if (f.lastReportAt && d.status !== "stale") times.push(f.lastReportAt.getTime() + f.staleAfterMs + 1);
  if (d.awaitingUntil) times.push(d.awaitingUntil.getTime() + 1);
  return times.length ? new Date(Math.min(...times)) : null;
}

export const DRIFT_STATUS_LABEL: Record<DriftStatusName, string> = {
  in_sync: "in sync",
  drifted: "drifted",
  awaiting_rollout: "awaiting rollout",
  stale: "stale",
  unknown: "unknown",
};
