import { describe, expect, it } from "vitest";
import {
  alertsFor,
  applyVerdict,
  fieldAt,
  formatDuration,
  judgeProbe,
  judgeSoak,
  mttrMs,
  nextRunAfter,
  percentile,
  uptimePercent,
  validateTarget,
  type CheckState,
  type ProbeStatus,
} from "./health";

const T0 = new Date("2026-01-01T00:00:00Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const fresh: CheckState = { status: "unknown", statusSince: T0, consecutiveFailures: 0, incidentOpen: false, lastAlertAt: null };
const expect200 = { statusMin: 200, statusMax: 299 };

function run(verdicts: ProbeStatus[], threshold = 3) {
  let state = fresh;
  const log: string[] = [];
  verdicts.forEach((v, i) => {
    const t = applyVerdict(state, v, threshold, at(i * 10));
    state = t.state;
    for (const e of t.events) log.push(`${i}:${e.type}${e.type === "status_changed" ? `:${e.previous}->${e.status}` : ""}`);
  });
  return { state, log };
}

describe("judgeProbe", () => {
  it("is up for an expected status", () => {
    expect(judgeProbe({ error: null, latencyMs: 12, statusCode: 204 }, expect200)).toEqual({ status: "up", error: null });
  });
  it("is down for a status outside the range, saying which", () => {
    const v = judgeProbe({ error: null, latencyMs: 12, statusCode: 503 }, expect200);
    expect(v.status).toBe("down");
    expect(v.error).toContain("503");
  });
  it("is down on a connection error", () => {
    expect(judgeProbe({ error: "ECONNREFUSED", latencyMs: 1 }, expect200)).toEqual({ status: "down", error: "ECONNREFUSED" });
  });
  it("checks a JSON field expectation", () => {
    const e = { ...expect200, jsonPath: "status", jsonExpected: "ok" };
    expect(judgeProbe({ error: null, latencyMs: 5, statusCode: 200, json: { status: "ok" } }, e).status).toBe("up");
    expect(judgeProbe({ error: null, latencyMs: 5, statusCode: 200, json: { status: "starting" } }, e).error).toContain('"starting"');
    expect(judgeProbe({ error: null, latencyMs: 5, statusCode: 200, json: "not an object" }, e).status).toBe("down");
  });
  it("is degraded when slow but otherwise right, down beats degraded", () => {
    const e = { ...expect200, degradedMs: 500 };
    expect(judgeProbe({ error: null, latencyMs: 900, statusCode: 200 }, e).status).toBe("degraded");
    expect(judgeProbe({ error: null, latencyMs: 900, statusCode: 500 }, e).status).toBe("down");
    expect(judgeProbe({ error: null, latencyMs: 400, statusCode: 200 }, e).status).toBe("up");
  });
  it("reads nested fields", () => {
    expect(fieldAt({ a: { b: [{ c: 1 }] } }, "a.b.0.c")).toBe(1);
    expect(fieldAt({ a: 1 }, "a.b")).toBeUndefined();
  });
});

describe("incidents", () => {
  it("opens an incident on the Nth consecutive failure, not before", () => {
    const { log, state } = run(["up", "down", "down", "down", "down"]);
    expect(log).toEqual(["0:status_changed:unknown->up", "1:status_changed:up->down", "3:incident_opened"]);
    expect(state.incidentOpen).toBe(true);
    expect(state.consecutiveFailures).toBe(4);
  });
  it("a success between failures resets the count", () => {
    const { log } = run(["down", "down", "up", "down", "down"]);
    expect(log.filter((l) => l.includes("incident"))).toEqual([]);
  });
  it("the first success closes it; degraded counts as a success", () => {
    const { log, state } = run(["down", "down", "down", "degraded", "down"]);
    expect(log).toContain("2:incident_opened");
    expect(log).toContain("3:incident_closed");
    expect(state.incidentOpen).toBe(false);
    expect(state.consecutiveFailures).toBe(1);
  });
  it("respects a configured threshold of 1", () => {
    expect(run(["down"], 1).log).toContain("0:incident_opened");
  });
  it("keeps statusSince while the status holds", () => {
    const { state } = run(["up", "up", "up"]);
    expect(state.statusSince).toEqual(at(0));
  });
});

describe("alertsFor (flap suppression)", () => {
  const rule = { onStatusChange: true, onIncident: true, suppressMinutes: 10 };
  const change = { type: "status_changed", status: "down", previous: "up" } as const;
  it("sends the first status change and suppresses the next ones within the window", () => {
    const first = alertsFor([change], [rule], null, T0);
    expect(first.alerts).toHaveLength(1);
    const second = alertsFor([change], [rule], first.lastAlertAt, at(60));
    expect(second.alerts).toHaveLength(0);
    const later = alertsFor([change], [rule], first.lastAlertAt, at(601));
    expect(later.alerts).toHaveLength(1);
  });
  it("never suppresses incident events, and sends nothing without a matching rule", () => {
    const evs = [{ type: "incident_opened", failures: 3 } as const, { type: "incident_closed" } as const];
    expect(alertsFor(evs, [rule], T0, at(1)).alerts).toHaveLength(2);
    expect(alertsFor([change, ...evs], [], null, T0).alerts).toHaveLength(0);
    expect(alertsFor([change], [{ ...rule, onStatusChange: false }], null, T0).alerts).toHaveLength(0);
  });
});

describe("schedule, percentiles, uptime", () => {
  it("keeps the cadence, skipping runs missed entirely", () => {
    expect(nextRunAfter(at(0), 30, at(2))).toEqual(at(30));
    expect(nextRunAfter(at(0), 30, at(95))).toEqual(at(125));
  });
  it("computes percentiles like percentile_cont", () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBeCloseTo(9.55);
  });
  it("counts degraded as available", () => {
    expect(uptimePercent({ total: 0, down: 0 })).toBeNull();
    expect(uptimePercent({ total: 4, down: 1 })).toBe(75);
  });
  it("computes MTTR over closed incidents only", () => {
    expect(mttrMs([{ openedAt: at(0), closedAt: null }])).toBeNull();
    expect(mttrMs([{ openedAt: at(0), closedAt: at(60) }, { openedAt: at(0), closedAt: at(180) }, { openedAt: at(0), closedAt: null }])).toBe(120_000);
  });
  it("formats durations", () => {
    expect(formatDuration(45_000)).toBe("45 s");
    expect(formatDuration(12 * 60_000)).toBe("12 min");
    expect(formatDuration(185 * 60_000)).toBe("3 h 5 min");
    expect(formatDuration(52 * 3_600_000)).toBe("2 d 4 h");
  });
});

describe("judgeSoak", () => {
  const now = at(3600);
  const good = {
    soakMinutes: 30,
    revisionsSince: at(0),
    drift: { status: "in_sync", since: at(0) },
    checks: [{ name: "http", status: "up" as const, since: at(0) }],
  };
  it("passes after the soak time, and when no soak is asked", () => {
    expect(judgeSoak(good, now)).toEqual({ ok: true });
    expect(judgeSoak({ ...good, soakMinutes: 0, drift: null }, now)).toEqual({ ok: true });
  });
  it("says how long is left, counted from the latest of revision, sync and health", () => {
    const v = judgeSoak({ ...good, checks: [{ name: "http", status: "up", since: at(3000) }] }, now);
    expect(v).toMatchObject({ ok: false, remainingMs: 1200_000 });
    const r = judgeSoak({ ...good, revisionsSince: at(3500) }, now);
    expect(r).toMatchObject({ ok: false, remainingMs: 1700_000 });
  });
  it("fails without waiting when drifted, down, or unproven", () => {
    expect(judgeSoak({ ...good, drift: { status: "drifted", since: at(0) } }, now)).toMatchObject({ ok: false, remainingMs: null });
    expect(judgeSoak({ ...good, checks: [{ name: "http", status: "down", since: at(0) }] }, now)).toMatchObject({ ok: false, remainingMs: null });
    expect(judgeSoak({ ...good, checks: [] }, now)).toMatchObject({ ok: false, remainingMs: null });
    expect(judgeSoak({ ...good, drift: null }, now)).toMatchObject({ ok: false, remainingMs: null });
  });
});

describe("validateTarget", () => {
  it("accepts http(s) URLs and host:port", () => {
    expect(validateTarget("http", "https://api.internal/health")).toBeNull();
    expect(validateTarget("tcp", "postgres.internal:5432")).toBeNull();
    expect(validateTarget("tcp", "[::1]:6379")).toBeNull();
  });
  it("rejects other schemes, credentials and bad ports", () => {
    expect(validateTarget("http", "ftp://x/")).toMatch(/http/);
    expect(validateTarget("http", "not a url")).toMatch(/valid URL/);
    expect(validateTarget("http", "https://u:p@x/")).toMatch(/credentials/);
    expect(validateTarget("tcp", "redis")).toMatch(/host:port/);
    expect(validateTarget("tcp", "redis:70000")).toMatch(/port/);
  });
});
