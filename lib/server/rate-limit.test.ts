import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, limitsFromEnv, RateLimiter } from "./rate-limit";
import { ServiceError } from "./errors";

describe("RateLimiter", () => {
  it("allows the burst, then one request per 1/rate seconds", () => {
    const l = new RateLimiter({ write: { perSecond: 2, burst: 3 } });
    const t0 = 1_000_000;
    expect([l.take("write", "a", t0), l.take("write", "a", t0), l.take("write", "a", t0)]).toEqual([null, null, null]);
    expect(l.take("write", "a", t0)).toBe(1);
    expect(l.take("write", "a", t0 + 499)).toBe(1);
    expect(l.take("write", "a", t0 + 1000)).toBeNull(); // refilled 2, took 1 (and the refused tries took none)
    expect(l.take("write", "a", t0 + 1000)).toBeNull();
    expect(l.take("write", "a", t0 + 1000)).toBe(1);
  });

  it("keeps keys and kinds apart, and never exceeds the burst after a long pause", () => {
    const l = new RateLimiter({ write: { perSecond: 1, burst: 1 }, read: { perSecond: 1, burst: 1 } });
    expect(l.take("write", "a", 0)).toBeNull();
    expect(l.take("write", "b", 0)).toBeNull();
    expect(l.take("read", "a", 0)).toBeNull();
    expect(l.take("write", "a", 0)).toBe(1);
    expect(l.take("write", "a", 3_600_000)).toBeNull();
    expect(l.take("write", "a", 3_600_000)).toBe(1);
  });

  it("reports the wait in whole seconds, at least 1", () => {
    const l = new RateLimiter({ sign_in: { perSecond: 0.1, burst: 1 } });
    expect(l.take("sign_in", "ip", 0)).toBeNull();
    expect(l.take("sign_in", "ip", 0)).toBe(10);
    expect(l.take("sign_in", "ip", 9_500)).toBe(1);
  });

  it("blocked() peeks without taking", () => {
    const l = new RateLimiter({ auth_failure: { perSecond: 1, burst: 2 } });
    expect(l.blocked("auth_failure", "ip", 0)).toBeNull();
    l.take("auth_failure", "ip", 0);
    expect(l.blocked("auth_failure", "ip", 0)).toBeNull();
    l.take("auth_failure", "ip", 0);
    expect(l.blocked("auth_failure", "ip", 0)).toBe(1);
    expect(l.blocked("auth_failure", "ip", 0)).toBe(1);
    expect(l.blocked("auth_failure", "ip", 1000)).toBeNull();
  });

  it("check() throws the rate_limited ServiceError carrying retryAfter", () => {
    const l = new RateLimiter({ write: { perSecond: 1, burst: 1 } });
    l.check("write", "k", 0);
    let err: unknown;
    try {
      l.check("write", "k", 0);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).code).toBe("rate_limited");
    expect((err as ServiceError).details.retryAfter).toBe(1);
  });

  it("a kind without a limit is never limited", () => {
    const l = new RateLimiter({ write: null });
    for (let i = 0; i < 1000; i++) expect(l.take("write", "k", 0)).toBeNull();
  });
});

describe("limitsFromEnv", () => {
  it("uses the defaults, reads overrides and switches kinds or everything off", () => {
    expect(limitsFromEnv({})).toEqual(DEFAULT_LIMITS);
    const l = limitsFromEnv({ NEXUS_RATE_LIMIT_WRITE: "5,10", NEXUS_RATE_LIMIT_SIGN_IN: "off" });
    expect(l.write).toEqual({ perSecond: 5, burst: 10 });
    expect(l.sign_in).toBeNull();
    expect(l.read).toEqual(DEFAULT_LIMITS.read);
    expect(Object.values(limitsFromEnv({ NEXUS_RATE_LIMITS: "off" })).every((v) => v === null)).toBe(true);
  });

  it.each(["50", "fast", "0,10", "5,0", "-1,3"])("refuses %j with a message saying what to write", (v) => {
    expect(() => limitsFromEnv({ NEXUS_RATE_LIMIT_WRITE: v })).toThrow(/NEXUS_RATE_LIMIT_WRITE: write "<requests per second>,<burst>"/);
  });
});
