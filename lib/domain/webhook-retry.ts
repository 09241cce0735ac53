/**
 * When a failed webhook delivery is tried again: exponential backoff (10 s, 40 s, 2.7 min, 11 min,
 * 43 min, 2.8 h, then every 6 h) with ±20% jitter, for up to 24 h after the delivery was created;
 * one last attempt is made at the 24 h mark, then the delivery is dead.
 */
export const RETRY_WINDOW_MS = 24 * 3600_000;
export const FIRST_DELAY_MS = 10_000;
export const BACKOFF_FACTOR = 4;
export const MAX_DELAY_MS = 6 * 3600_000;
export const JITTER = 0.2;

/** The delay after the `attempt`-th failed attempt (1-based), before jitter. */
export function baseDelayMs(attempt: number): number {
  return Math.min(FIRST_DELAY_MS * BACKOFF_FACTOR ** Math.max(0, attempt - 1), MAX_DELAY_MS);
}

export type RetryDecision = { retry: true; at: Date } | { retry: false };

/**
 * After the `attempt`-th attempt of a delivery created at `createdAt` failed at `now`: when to try
 * again, or give up. `random` (0 ≤ r < 1) is injected so tests can pin the jitter.
 */
export function nextRetry(attempt: number, createdAt: Date, now: Date, random: () => number = Math.random): RetryDecision {
  const deadline = createdAt.getTime() + RETRY_WINDOW_MS;
  if (now.getTime() >= deadline) return { retry: false };
  const jitter = 1 + JITTER * (2 * random() - 1);
  const at = now.getTime() + Math.round(baseDelayMs(attempt) * jitter);
  return { retry: true, at: new Date(Math.min(at, deadline)) };
}

/** An endpoint failing without a single success for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 24 * 3600_000;
/** …or after this many deliveries in a row were given up on. */
export const DISABLE_AFTER_DEAD = 5;

export function shouldDisable(endpoint: { failingSince: Date | null; consecutiveDead: number }, now: Date): string | null {
  if (endpoint.consecutiveDead >= DISABLE_AFTER_DEAD) return `${endpoint.consecutiveDead} deliveries in a row failed for 24 hours each`;
  if (endpoint.failingSince && now.getTime() - endpoint.failingSince.getTime() >= DISABLE_AFTER_FAILING_MS) {
    return `every delivery failed since ${endpoint.failingSince.toISOString()} (24 hours without a success)`;
  }
  return null;
}
