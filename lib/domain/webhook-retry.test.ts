import { describe, expect, it } from "vitest";
import { baseDelayMs, nextRetry, RETRY_WINDOW_MS, shouldDisable } from "./webhook-retry";

const t0 = new Date("2026-01-01T00:00:00.000Z");
const mid = () => 0.5; // no jitter

describe("webhook retry schedule", () => {
  it("backs off exponentially, capped at 6 hours", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(baseDelayMs)).toEqual([10_000, 40_000, 160_000, 640_000, 2_560_000, 10_240_000, 21_600_000, 21_600_000]);
  });

  it("jitters each delay within ±20%", () => {
    const now = new Date(t0.getTime() + 1000);
    const low = nextRetry(3, t0, now, () => 0);
    const high = nextRetry(3, t0, now, () => 0.999999);
    expect(low).toEqual({ retry: true, at: new Date(now.getTime() + 128_000) });
    expect(high.retry && high.at.getTime()).toBe(now.getTime() + 192_000);
  });

  it("keeps trying for 24 hours, with one last attempt at the 24 h mark, then gives up", () => {
    let now = t0;
    const times: number[] = [];
    for (let attempt = 1; attempt < 50; attempt++) {
      const d = nextRetry(attempt, t0, now, mid);
      if (!d.retry) break;
      expect(d.at.getTime()).toBeGreaterThan(now.getTime());
      now = d.at;
      times.push(now.getTime() - t0.getTime());
    }
    expect(times.at(-1)).toBe(RETRY_WINDOW_MS);
    expect(times.length).toBe(10);
    expect(nextRetry(11, t0, new Date(t0.getTime() + RETRY_WINDOW_MS), mid)).toEqual({ retry: false });
  });

  it("disables an endpoint failing for 24 h or after 5 dead deliveries in a row", () => {
    const now = new Date(t0.getTime() + RETRY_WINDOW_MS);
    expect(shouldDisable({ failingSince: t0, consecutiveDead: 0 }, now)).toMatch(/24 hours without a success/);
    expect(shouldDisable({ failingSince: new Date(t0.getTime() + 1), consecutiveDead: 0 }, now)).toBeNull();
    expect(shouldDisable({ failingSince: null, consecutiveDead: 5 }, now)).toMatch(/5 deliveries in a row/);
    expect(shouldDisable({ failingSince: null, consecutiveDead: 4 }, now)).toBeNull();
  });
});
