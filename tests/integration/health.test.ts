import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { environments, healthAlertRules, healthChecks, healthResults, services } from "@/drizzle/schema";
import type { Principal } from "@/lib/auth/permissions";
import { rowsOf } from "@/lib/db/client";
import { percentile } from "@/lib/domain/health";
import { createCheck } from "@/lib/server/health/create-check";
import { deleteCheck } from "@/lib/server/health/delete-check";
import { getHealthBoard } from "@/lib/server/health/get-health-board";
import { getServiceHealth } from "@/lib/server/health/get-service-health";
import { listIncidents } from "@/lib/server/health/list-incidents";
import { countsByCheck, dailyUptime, latencySeries, rawCounts } from "@/lib/server/health/queries";
import { recordResult } from "@/lib/server/health/record-result";
import { rollUpHealthResults } from "@/lib/server/health/roll-up-results";
import { createChecker } from "@/lib/server/health/run-due-checks";
import { updateCheck } from "@/lib/server/health/update-check";
import { getOverview } from "@/lib/server/overview/get-overview";
import { describeEachDatabase } from "../helpers/db";
import { countRows, query } from "../helpers/rows";

const admin: Principal = { id: "ada", kind: "user", name: "Ada", roles: [{ role: "admin", environments: null }] };
const olivia: Principal = { id: "olivia", kind: "user", name: "Olivia", roles: [{ role: "operator", environments: null }] };
const viewer: Principal = { id: "morgan", kind: "user", name: "Morgan", roles: [{ role: "viewer", environments: null }] };
const stagingViewer: Principal = { id: "sv", kind: "user", name: "Sv", roles: [{ role: "viewer", environments: ["staging"] }] };

// A local target: /fast answers at once, /slow waits until the test releases it, /json says status ok.
let server: Server;
let base = "";
let releaseSlow: () => void = () => {};
let slowGate = new Promise<void>((r) => (releaseSlow = r));
let slowRequests = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/slow") {
      slowRequests += 1;
      void slowGate.then(() => res.writeHead(200).end("late"));
    } else if (req.url === "/json") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok" }));
    } else if (req.url === "/fail") {
      res.writeHead(503).end();
    } else res.writeHead(200).end("ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  releaseSlow();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const http = (name: string, path: string, extra: Record<string, unknown> = {}) => ({ name, kind: "http" as const, target: `${base}${path}`, intervalSeconds: 30, timeoutMs: 10_000, ...extra });

describeEachDatabase("health", (db) => {
  beforeAll(async () => {
    await db().db.insert(environments).values([
      { name: "staging", position: 0 },
      { name: "production", position: 1 },
    ]);
    await db().db.insert(services).values([{ name: "api" }, { name: "cache" }, { name: "queue" }, { name: "stats" }]);
  });

  it("manages checks with health:manage, validates URLs, and audits without the header value", async () => {
    await expect(createCheck({ principal: viewer, input: { service: "api", env: "staging", check: http("x", "/fast") } })).rejects.toMatchObject({ code: "forbidden" });
    const before = await countRows(db(), "health_checks");
    await expect(createCheck({ principal: olivia, input: { service: "api", env: "staging", check: { name: "x", kind: "http", target: "ftp://example.com/" } } })).rejects.toThrow(/http:\/\/ or https:\/\//);
    await expect(createCheck({ principal: olivia, input: { service: "api", env: "staging", check: { name: "x", kind: "tcp", target: "redis" } } })).rejects.toThrow(/host:port/);
    expect(await countRows(db(), "health_checks")).toBe(before);

    const c = await createCheck({ principal: olivia, input: { service: "api", env: "staging", check: http("token", "/json", { headerName: "x-api-key", headerValue: "s3cret-value" }) } });
    expect(c).toMatchObject({ status: "unknown", headerName: "x-api-key", headerValueSet: true });
    expect(JSON.stringify(c)).not.toContain("s3cret-value");
    await expect(createCheck({ principal: olivia, input: { service: "api", env: "staging", check: http("token", "/fast") } })).rejects.toMatchObject({ code: "conflict" });
    const updated = await updateCheck({ principal: olivia, input: { id: c.id, check: http("token", "/json", { headerName: "x-api-key", intervalSeconds: 60 }) } });
    expect(updated).toMatchObject({ intervalSeconds: 60, headerValueSet: true });
    const audit = await query<{ after: unknown }>(db(), "select after from audit_events where action like 'health_check.%'");
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain("s3cret-value");
    await deleteCheck({ principal: olivia, input: { id: c.id } });
    expect(await countRows(db(), "audit_events", "action = 'health_check.deleted'")).toBe(1);
  });

  it("a slow target does not delay the others", async () => {
    slowRequests = 0;
    const slow = await createCheck({ principal: admin, input: { service: "queue", env: "staging", check: http("slow", "/slow") } });
    const fast: { id: string }[] = [];
    for (let i = 0; i < 5; i++) fast.push(await createCheck({ principal: admin, input: { service: "queue", env: "staging", check: http(`fast-${i}`, "/fast") } }));
    const checker = createChecker({ concurrency: 10 });
    expect(await checker.tick()).toBe(6);
    // Every fast result is recorded while the slow probe is still waiting for its answer.
    await vi.waitFor(async () => expect(await countRows(db(), "health_results", `check_id in (${fast.map((f) => `'${f.id}'`).join(",")})`)).toBe(5), { timeout: 10_000 });
    expect(slowRequests).toBe(1);
    expect(checker.inFlight()).toBe(1);
    expect(await countRows(db(), "health_results", `check_id = '${slow.id}'`)).toBe(0);
    releaseSlow();
    await checker.drain();
    expect(await countRows(db(), "health_results", `check_id = '${slow.id}'`)).toBe(1);
    slowGate = new Promise<void>((r) => (releaseSlow = r));
    await db().db.delete(healthChecks).where(sql`${healthChecks.serviceId} = (select id from services where name = 'queue')`);
  });

  it("two checkers run each due check exactly once", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await createCheck({ principal: admin, input: { service: "stats", env: "production", check: http(`c${i}`, "/fast") } })).id);
    const a = createChecker({ concurrency: 50 });
    const b = createChecker({ concurrency: 50 });
    const [na, nb] = await Promise.all([a.tick(), b.tick()]);
    await Promise.all([a.drain(), b.drain()]);
    expect(na + nb).toBe(20);
    // Nothing is due again until the interval has passed.
    expect(await a.tick()).toBe(0);
    const perCheck = await query<{ n: number }>(db(), `select count(*)::int as n from health_results where check_id in (${ids.map((i) => `'${i}'`).join(",")}) group by check_id`);
    expect(perCheck.map((r) => Number(r.n))).toEqual(Array(20).fill(1));
    const [due] = await query<{ n: number }>(db(), `select count(*)::int as n from health_checks where id in (${ids.map((i) => `'${i}'`).join(",")}) and next_run_at > now() + interval '25 seconds' and lease_until is null and status = 'up'`);
    expect(Number(due!.n)).toBe(20);
    await db().db.delete(healthChecks).where(sql`${healthChecks.serviceId} = (select id from services where name = 'stats')`);
  });

  it("opens an incident after N consecutive failures, closes it on the first success, and alerts with flap suppression", async () => {
    const envId = (await query<{ id: string }>(db(), "select id from environments where name = 'production'"))[0]!.id;
    await db().db.insert(healthAlertRules).values({ environmentId: envId, onStatusChange: true, onIncident: true, suppressMinutes: 10, createdBy: "test" });
    const c = await createCheck({ principal: admin, input: { service: "cache", env: "production", check: { name: "tcp", kind: "tcp", target: "127.0.0.1:6379", failureThreshold: 3 } } });
    const t0 = Date.now() - 60_000;
    const put = (i: number, status: "up" | "down") => recordResult(db().db, { checkId: c.id, checkedAt: new Date(t0 + i * 1000), status, latencyMs: 5, statusCode: null, error: status === "down" ? "connection refused" : null });
    await put(0, "up");
    await put(1, "down");
    await put(2, "down");
    expect(await countRows(db(), "health_incidents")).toBe(0);
    await put(3, "down");
    const open = await listIncidents({ principal: viewer, input: { state: "open" } });
    expect(open.items).toHaveLength(1);
    expect(open.items[0]).toMatchObject({ service: "cache", environment: "production", check: "tcp", failures: 3, closedAt: null });
    await put(4, "down");
    await put(5, "up");
    const all = await listIncidents({ principal: viewer, input: { service: "cache" } });
    expect(all.items[0]).toMatchObject({ failures: 4, durationMs: 2000 });
    expect(all.items[0]!.closedAt).not.toBeNull();

    const events = await query<{ type: string; payload: Record<string, unknown> }>(db(), "select type, payload from outbox_events where type like 'health.%' order by id");
    // unknown→up alerted; up→down and down→up fall in the 10-minute window and are suppressed.
    expect(events.map((e) => e.type)).toEqual(["health.status_changed", "health.incident_opened", "health.incident_closed"]);
    expect(events[1]!.payload).toMatchObject({ service: "cache", environment: "production", check: "tcp", incidentId: open.items[0]!.id });
    expect(events[2]!.payload).toMatchObject({ service: "cache", environment: "production", durationMs: 2000 });

    // A staging-only viewer sees none of it.
    expect((await listIncidents({ principal: stagingViewer, input: {} })).items).toHaveLength(0);
  });

  it("computes uptime and latency percentiles from known data, rolls up and keeps raw results 7 days", async () => {
    const c = await createCheck({ principal: admin, input: { service: "api", env: "production", check: http("known", "/fast") } });
    const now = new Date();
    const hourStart = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
    // 20 results in the last hour: latencies 10..200, every 5th down.
    const lat = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
    const recent = lat.map((l, i) => ({ checkId: c.id, checkedAt: new Date(now.getTime() - (i + 1) * 60_000 - 1), status: (i % 5 === 4 ? "down" : "up") as "up" | "down", latencyMs: l }));
    // And 4 results 8 days ago, beyond raw retention.
    const old = [1, 2, 3, 4].map((i) => ({ checkId: c.id, checkedAt: new Date(now.getTime() - 8 * 86_400_000 - i * 1000), status: "up" as const, latencyMs: 999 }));
    await db().db.insert(healthResults).values([...recent, ...old]);

    const counts = await countsByCheck(db().db, [c.id], "24h", now);
    expect(counts.get(c.id)).toEqual({ total: 20, down: 4, degraded: 0 });
    const board = await getHealthBoard({ principal: viewer, input: undefined }, now);
    const api = board.services.find((s) => s.service === "api")!;
    expect(api.checks.find((x) => x.id === c.id)!.uptime24h).toBe(80);

    const { points: series, bucketSeconds } = await latencySeries(db().db, c.id, "24h", now);
    expect(bucketSeconds).toBe(60); // the oldest result is 20 minutes old: one-minute buckets
    expect(series).toHaveLength(20);
    const b = bucketSeconds * 1000;
    for (const p of series) {
      const inBucket = recent.filter((r) => Math.floor(r.checkedAt.getTime() / b) * b === new Date(p.t).getTime()).map((r) => r.latencyMs);
      expect(p.count).toBe(inBucket.length);
      expect(p.p50).toBeCloseTo(percentile(inBucket, 0.5)!, 1);
      expect(p.p95).toBeCloseTo(percentile(inBucket, 0.95)!, 1);
    }

    const rolled = await rollUpHealthResults(db().db);
    expect(rolled).toMatchObject({ deletedResults: 4 });
    expect(await countRows(db(), "health_results", `check_id = '${c.id}'`)).toBe(20);
    const { points: hourly } = await latencySeries(db().db, c.id, "7d", now);
    expect(hourly.reduce((s, p) => s + p.count, 0)).toBe(20);
    for (const p of hourly) {
      const t = new Date(p.t).getTime();
      const inHour = recent.filter((r) => r.checkedAt.getTime() >= t && r.checkedAt.getTime() < t + 3_600_000).map((r) => r.latencyMs);
      expect(p.p50).toBe(Math.round(percentile(inHour, 0.5)!));
      expect(p.p95).toBe(Math.round(percentile(inHour, 0.95)!));
    }
    const week = await countsByCheck(db().db, [c.id], "7d", now);
    expect(week.get(c.id)).toEqual({ total: 20, down: 4, degraded: 0 });
    const days = await dailyUptime(db().db, [c.id], 30, now);
    expect(days).toHaveLength(30);
    expect(days.at(-1)!.day).toBe(now.toISOString().slice(0, 10));
    expect(days.reduce((s, d) => s + d.total, 0)).toBe(20);
    expect(days.filter((d) => d.uptime !== null).every((d) => d.uptime! >= 0 && d.uptime! <= 100)).toBe(true);
    expect(hourStart.getTime()).toBeLessThanOrEqual(now.getTime());

    // Rollups older than 90 days go too.
    await db().db.execute(sql`insert into health_rollups (check_id, hour, total, up, degraded, down, latency_p50, latency_p95) values (${c.id}::uuid, now() - interval '91 days', 1, 1, 0, 0, 1, 1)`);
    expect(await rollUpHealthResults(db().db)).toMatchObject({ deletedRollups: 1 });

    const svc = await getServiceHealth({ principal: viewer, input: { service: "api", check: c.id } }, now);
    expect(svc.selected).toBe(c.id);
    expect(svc.latency.length).toBeGreaterThan(0);
    expect(svc.checks.find((x) => x.id === c.id)).toMatchObject({ uptime24h: 80 });
  });

  it("counts 24 h uptime from finished hourly rollups plus raw results at both ends, equal to the raw results alone", async () => {
    const c = await createCheck({ principal: admin, input: { service: "stats", env: "staging", check: http("rolled", "/fast") } });
    const now = new Date();
    // Every 7 minutes over the last 30 hours, a known mix of up, degraded and down.
    const rows = Array.from({ length: (30 * 60) / 7 }, (_, i) => ({
      checkId: c.id,
      checkedAt: new Date(now.getTime() - i * 7 * 60_000 - 1234),
      status: (i % 11 === 3 ? "down" : i % 7 === 2 ? "degraded" : "up") as "up" | "down" | "degraded",
      latencyMs: 5 + (i % 13),
    }));
    await db().db.insert(healthResults).values(rows);
    // The job rolls up from its newest hour on (results arrive as checks run); these were written
    // into the past, so it starts over from the raw results it keeps (7 days), as on a first run.
    await db().db.execute(sql`delete from health_rollups`);
    await rollUpHealthResults(db().db);
    const raw = async (at: Date) => {
      const [r] = rowsOf<{ total: number; down: number; degraded: number }>(await db().db.execute(rawCounts([c.id], new Date(at.getTime() - 86_400_000), at)));
      return { total: Number(r!.total), down: Number(r!.down), degraded: Number(r!.degraded) };
    };
    for (const at of [now, new Date(now.getTime() - 17 * 60_000), new Date(now.getTime() - 3 * 3_600_000 - 5_000)]) {
      expect((await countsByCheck(db().db, [c.id], "24h", at)).get(c.id)).toEqual(await raw(at));
    }
    // Finished hours really come from the rollups: a change there shows in the 24 h counts.
    const middle = new Date(Math.floor((now.getTime() - 12 * 3_600_000) / 3_600_000) * 3_600_000);
    await db().db.execute(sql`update health_rollups set down = down + 1000, total = total + 1000 where check_id = ${c.id}::uuid and hour = ${middle.toISOString()}::timestamptz`);
    const expected = await raw(now);
    expect((await countsByCheck(db().db, [c.id], "24h", now)).get(c.id)).toEqual({ ...expected, total: expected.total + 1000, down: expected.down + 1000 });
    await db().db.execute(sql`update health_rollups set down = down - 1000, total = total - 1000 where check_id = ${c.id}::uuid and hour = ${middle.toISOString()}::timestamptz`);
  });

  it("summarises health per environment on the overview, only where the reader may look", async () => {
    const o = await getOverview({ principal: viewer, input: undefined });
    const prod = o.health!.find((h) => h.environment === "production")!;
    expect(prod.down + prod.up + prod.unknown + prod.degraded).toBe(await countRows(db(), "health_checks", "environment_id = (select id from environments where name = 'production')"));
    expect(prod.down).toBe(0);
    expect(prod.up).toBe(1); // the cache check recovered
    const scoped = await getOverview({ principal: stagingViewer, input: undefined });
    expect(scoped.health!.map((h) => h.environment)).toEqual(["staging"]);
  });
});
