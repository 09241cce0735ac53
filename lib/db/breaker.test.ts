import { afterEach, describe, expect, it, vi } from "vitest";
import { problemOf } from "@/lib/api/problem";
import { DatabaseBreaker, DatabaseUnavailableError } from "./breaker";
import { isDatabaseUnavailable } from "./unavailable";

const refused = () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5439"), { code: "ECONNREFUSED" });

describe("DatabaseBreaker", () => {
  afterEach(() => vi.useRealTimers());

  it("stays closed for errors that are not about reaching the database", () => {
    const breaker = new DatabaseBreaker({ probe: async () => {} });
    breaker.failed(Object.assign(new Error("duplicate key"), { code: "23505" }), 0);
    breaker.failed(new Error("boom"), 0);
    expect(breaker.state).toBe("closed");
    expect(() => breaker.check()).not.toThrow();
  });

  it("opens on a connection-class error, refuses at once with a 503 cause, and closes when a probe answers", async () => {
    vi.useFakeTimers();
    let up = false;
    const probe = vi.fn(async () => {
      if (!up) throw refused();
    });
    const opened = vi.fn();
    const closed = vi.fn();
    const breaker = new DatabaseBreaker({ probe, probeEveryMs: 250, events: { opened, closed } });

    const ticket = breaker.check();
    breaker.failed(new Error("Failed query: select 1", { cause: refused() }), ticket);
    expect(breaker.state).toBe("open");
    expect(opened).toHaveBeenCalledTimes(1);
    let thrown: unknown;
    try {
      breaker.check();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DatabaseUnavailableError);
    expect((thrown as Error).message).toContain("ECONNREFUSED");
    expect(isDatabaseUnavailable(thrown)).toBe(true);
    const mapped = problemOf(thrown, "r1");
    expect(mapped?.status).toBe(503);
    expect(mapped?.headers["retry-after"]).toBe("5");

    // A second failure while open neither reopens nor reports again.
    breaker.failed(refused(), ticket);
    expect(opened).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(1000);
    expect(probe.mock.calls.length).toBeGreaterThanOrEqual(3);
    expect(breaker.state).toBe("open");

    up = true;
    await vi.advanceTimersByTimeAsync(300);
    expect(breaker.state).toBe("closed");
    expect(closed).toHaveBeenCalledTimes(1);
    expect(closed.mock.calls[0]![1]).toBe(1); // one request refused while open
    expect(() => breaker.check()).not.toThrow();

    // A query that started before it closed reports the outage that is over: it stays closed.
    breaker.failed(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }), ticket);
    expect(breaker.state).toBe("closed");
    breaker.failed(refused(), breaker.check());
    expect(breaker.state).toBe("open");
  });

  it("ignores its own refusals and stops probing once stopped", async () => {
    vi.useFakeTimers();
    const probe = vi.fn(async () => {
      throw refused();
    });
    const breaker = new DatabaseBreaker({ probe, probeEveryMs: 100 });
    breaker.failed(new Error("Failed query: select 1", { cause: new DatabaseUnavailableError(refused()) }), 0);
    expect(breaker.state).toBe("closed");
    breaker.failed(refused(), 0);
    breaker.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(probe).not.toHaveBeenCalled();
  });
});
