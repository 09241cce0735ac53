import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as postObserved } from "@/app/api/v1/services/[svc]/environments/[env]/observed/route";
import { seedDemo } from "@/lib/db/seed";
import { SYSTEM } from "@/lib/server/context";
import { acknowledgeDrift } from "@/lib/server/drift/acknowledge-drift";
import { adoptObserved } from "@/lib/server/drift/adopt-observed";
import { getDriftBoard, getDriftSummary } from "@/lib/server/drift/get-drift-board";
import { getDriftDetail } from "@/lib/server/drift/get-drift-detail";
import { ignoreDriftPath } from "@/lib/server/drift/ignore-drift-path";
import { reportObserved } from "@/lib/server/drift/report-observed";
import { scanDueDrift } from "@/lib/server/drift/scan";
import { setDriftSettings, setDriftTarget } from "@/lib/server/drift/configure-drift";
import { pullDueTargets } from "@/lib/server/drift/pull-observed";
import { autoRemediate, reapplyDesired } from "@/lib/server/drift/reapply-desired";
import { getLayer } from "@/lib/server/configs/get-layer";
import { rollbackLayer } from "@/lib/server/configs/rollback-layer";
import { compareEnvironments } from "@/lib/server/configs/compare-environments";
import { getResolvedConfig } from "@/lib/server/configs/get-resolved-config";
import { getChangeRequest } from "@/lib/server/promotions/get-change-request";
import { createToken } from "@/lib/server/tokens/create-token";
import { describeEachDatabase } from "../helpers/db";
import { admin, editOverlay, morgan, olivia } from "../helpers/promotions";
import { countRows, expectServiceError, query } from "../helpers/rows";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function push(svc: string, env: string, body: string, o: { token?: string; type?: string; query?: string } = {}) {
  const headers = new Headers({ "content-type": o.type ?? "application/json" });
  if (o.token) headers.set("authorization", `Bearer ${o.token}`);
  const req = new NextRequest(`http://localhost/api/v1/services/${svc}/environments/${env}/observed${o.query ?? ""}`, { method: "POST", headers, body });
  const res = await (postObserved as Handler)(req, { params: Promise.resolve({ svc, env }) });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}

/** The desired config of a pair as a service with secrets:read would run it. */
const desiredOf = async (svc: string, env: string) => structuredClone((await getResolvedConfig({ principal: SYSTEM, input: { service: svc, env } })).value) as Record<string, Record<string, unknown>>;

const report = (svc: string, env: string, value: unknown, who = olivia) => reportObserved({ principal: who, input: { service: svc, env, content: JSON.stringify(value), format: "json" } });

describeEachDatabase("drift", (db) => {
  beforeAll(async () => {
    expect(await seedDemo(db().db)).toBe(true);
  });

  it("seeds one sample drift, labelled as the demo's", async () => {
    const d = await getDriftDetail({ principal: morgan, input: { service: "performance-service", env: "staging" } });
    expect(d).toMatchObject({ status: "drifted", observed: { source: "demo", reportedBy: "demo seed" } });
    expect(d.paths).toEqual([{ path: "/performance/max_workers", kind: "changed", expected: 8, observed: 12 }]);
  });

  describe("push API", () => {
    let scoped = "";
    beforeAll(async () => {
      scoped = (await createToken({ principal: admin, input: { name: "agent", role: "operator", scopes: ["observed:write"], services: ["redis"], environments: ["staging"] } })).token;
    });

    it("refuses a token without observed:write for that service or environment with 403, and stores nothing", async () => {
      const readOnly = (await createToken({ principal: admin, input: { name: "reader", role: "operator", scopes: ["config:read"] } })).token;
      const before = { observed: await countRows(db(), "observed_configs"), status: await countRows(db(), "drift_status"), audit: await countRows(db(), "audit_events") };
      expect((await push("redis", "staging", "{}", { token: readOnly })).status).toBe(403);
      const otherEnv = await push("redis", "production", "{}", { token: scoped });
      expect(otherEnv.status).toBe(403);
      expect(otherEnv.json.detail).toMatch(/observed:write.*redis in environment production/);
      expect((await push("grafana", "staging", "{}", { token: scoped })).status).toBe(403);
      expect({ observed: await countRows(db(), "observed_configs"), status: await countRows(db(), "drift_status"), audit: await countRows(db(), "audit_events") }).toEqual(before);
    });

    it("answers malformed bodies with a clear 4xx and stores nothing", async () => {
      const before = await countRows(db(), "observed_configs");
      const bad = await push("redis", "staging", '{"a": ', { token: scoped });
      expect(bad.status).toBe(422);
      expect(bad.json.detail).toMatch(/JSON is malformed/);
      expect((await push("redis", "staging", "[1,2]", { token: scoped })).json.detail).toMatch(/mapping of keys/);
      const yaml = await push("redis", "staging", "a: [", { token: scoped, type: "application/yaml" });
      expect(yaml.status).toBe(422);
      const unknownType = await push("redis", "staging", "a=1", { token: scoped, type: "text/html" });
      expect(unknownType.status).toBe(415);
      expect(unknownType.json.detail).toMatch(/JSON.*YAML.*dotenv/);
      expect((await push("redis", "staging", "x", { token: scoped, query: "?format=xml" })).status).toBe(415);
      expect((await push("redis", "staging", "{}", { token: "nx_not-a-real-token-000000000000" })).status).toBe(401);
      expect(await countRows(db(), "observed_configs")).toBe(before);
    });

    it("accepts JSON, YAML and dotenv from a scoped token and says drifted or in sync", async () => {
      const desired = await desiredOf("redis", "staging");
      const inSync = await push("redis", "staging", JSON.stringify(desired), { token: scoped });
      expect(inSync.status, JSON.stringify(inSync.json)).toBe(200);
      expect(inSync.json).toMatchObject({ status: "in_sync", driftCount: 0, changed: true });
      const env = await push("redis", "staging", "LOG_LEVEL=DEBUG\n", { token: scoped, type: "text/x-dotenv" });
      expect(env.json).toMatchObject({ status: "drifted" });
      const yaml = await push("redis", "staging", "monitoring:\n  log_level: INFO\n", { token: scoped, type: "application/yaml" });
      expect(yaml.json).toMatchObject({ status: "drifted" });
    });
  });

  describe("engine through the use cases", () => {
    it("reports the changed path with expected and observed values, and history begins", async () => {
      const observed = await desiredOf("api-gateway", "production");
      observed.performance!.cache_ttl = 60;
      observed.runtime = { pid: 4242 };
      const r = await report("api-gateway", "production", observed);
      expect(r).toMatchObject({ status: "drifted", driftCount: 2 });
      const d = await getDriftDetail({ principal: morgan, input: { service: "api-gateway", env: "production" } });
      expect(d.paths).toEqual([
        { path: "/performance/cache_ttl", kind: "changed", expected: 3600, observed: 60 },
        { path: "/runtime", kind: "unexpected", observed: { pid: 4242 } },
      ]);
      expect(d.episodes).toHaveLength(1);
      expect(d.episodes[0]).toMatchObject({ endedAt: null, count: 2 });
      expect(d.actions).toMatchObject({ reapply: false, adopt: false, acknowledge: false });
      const types = await query<{ type: string; payload: { status: string; previous: string; paths: string[] } }>(db(), `select type, payload from outbox_events where type like 'drift.%' and payload->>'service' = 'api-gateway' order by id`);
      expect(types.map((t) => t.type)).toEqual(["drift.status_changed", "drift.detected"]);
      expect(types[0]!.payload).toMatchObject({ status: "drifted", previous: "unknown", environment: "production", paths: ["/performance/cache_ttl", "/runtime"] });
    });

    it("ignores a path by rule (audited) and the drift narrows", async () => {
      await expectServiceError(ignoreDriftPath({ principal: morgan, input: { service: "api-gateway", env: "production", pattern: "/runtime/**" } }), "forbidden");
      await expectServiceError(ignoreDriftPath({ principal: olivia, input: { service: "api-gateway", env: "production", pattern: "runtime" } }), "invalid", /starts with/);
      await ignoreDriftPath({ principal: olivia, input: { service: "api-gateway", env: "production", pattern: "/runtime" } });
      const d = await getDriftDetail({ principal: olivia, input: { service: "api-gateway", env: "production" } });
      expect(d.paths.map((p) => p.path)).toEqual(["/performance/cache_ttl"]);
      expect(d.ignoreRules.map((r) => r.pattern)).toEqual(["/runtime"]);
      expect(await countRows(db(), "audit_events", "action = 'drift.path_ignored'")).toBe(1);
    });

    it("acknowledges (unblocking the promotion check), then adopt observed opens a change request in protected production", async () => {
      await acknowledgeDrift({ principal: olivia, input: { service: "api-gateway", env: "production" } });
      await expectServiceError(acknowledgeDrift({ principal: olivia, input: { service: "api-gateway", env: "production" } }), "conflict", /already acknowledged/);
      const adopted = await adoptObserved({ principal: olivia, input: { service: "api-gateway", env: "production" } });
      expect(adopted).toMatchObject({ mode: "change_request", adopted: ["/performance/cache_ttl"] });
      const cr = await getChangeRequest({ principal: olivia, input: { id: adopted.mode === "change_request" ? adopted.changeRequest.id : "" } });
      expect(cr.items[0]!.changes).toEqual([{ path: "/performance/cache_ttl", kind: "changed", before: 3600, after: 60 }]);
      const d = await getDriftDetail({ principal: olivia, input: { service: "api-gateway", env: "production" } });
      expect(d.remediations.map((r) => r.kind)).toEqual(["adopt", "acknowledge", "ignore"]);
    });

    it("adopting in a non-protected environment saves the overlay, and the pair returns to in sync", async () => {
      const observed = await desiredOf("grafana", "development");
      (observed.monitoring as Record<string, unknown>).log_level = "INFO";
      expect((await report("grafana", "development", observed)).status).toBe("drifted");
      expect(await adoptObserved({ principal: olivia, input: { service: "grafana", env: "development" } })).toMatchObject({ mode: "saved", revision: 2 });
      await scanDueDrift();
      const d = await getDriftDetail({ principal: morgan, input: { service: "grafana", env: "development" } });
      expect(d.status).toBe("in_sync");
      expect(d.episodes[0]).toMatchObject({ endedAs: "in_sync" });
      expect(await query(db(), `select type from outbox_events where type = 'drift.resolved' and payload->>'service' = 'grafana'`)).toHaveLength(1);
    });

    it("never stores, shows or emits a secret value: the report keeps a keyed hash and the drift says only 'changed'", async () => {
      const observed = await desiredOf("nexus-backend", "staging");
      const realSecret = (observed.database as Record<string, string>).password!;
      (observed.database as Record<string, string>).password = "what-the-service-really-uses";
      (observed.database as Record<string, unknown>).api_token = "tok-abc-123";
      const r = await report("nexus-backend", "staging", observed);
      expect(r.hashedPaths).toEqual(["/database/api_token", "/database/password"]);
      const stored = JSON.stringify(await query(db(), "select * from observed_configs"));
      for (const clear of ["what-the-service-really-uses", "tok-abc-123", realSecret]) {
        expect(stored).not.toContain(clear);
        expect(JSON.stringify(await query(db(), "select * from drift_status"))).not.toContain(clear);
        expect(JSON.stringify(await query(db(), "select payload from outbox_events"))).not.toContain(clear);
        expect(JSON.stringify(await query(db(), "select before, after from audit_events"))).not.toContain(clear);
      }
      const d = await getDriftDetail({ principal: admin, input: { service: "nexus-backend", env: "staging" } });
      expect(d.paths).toEqual([
        { path: "/database/password", kind: "changed", secret: true },
        { path: "/database/api_token", kind: "unexpected", secret: true },
      ]);
      expect(JSON.stringify(d)).not.toContain("what-the-service-really-uses");
      // The same secret as the SSOT's is in sync.
      (observed.database as Record<string, string>).password = realSecret;
      delete (observed.database as Record<string, unknown>).api_token;
      expect((await report("nexus-backend", "staging", observed)).status).toBe("in_sync");
    });
  });

  describe("environment comparison", () => {
    it("tells the differences by design (with their cause) from the running ones the SSOT does not explain", async () => {
      const dev = await desiredOf("elk", "development");
      const stg = await desiredOf("elk", "staging");
      (stg.performance as Record<string, number>).max_workers = 99;
      await report("elk", "development", dev);
      await report("elk", "staging", stg);
      const c = await compareEnvironments({ principal: morgan, input: { service: "elk", from: "development", to: "staging" } });
      expect(c.changes.find((x) => x.path === "/monitoring/log_level")).toMatchObject({ before: "DEBUG", after: "INFO", cause: "overlay", byDesign: true });
      expect(c.changes.find((x) => x.path === "/application/environment")).toMatchObject({ cause: "template" });
      expect(c.changes.find((x) => x.path === "/service/region")).toMatchObject({ cause: "variable" });
      const running = c.observed!.changes;
      expect(running.find((x) => x.path === "/performance/max_workers")).toMatchObject({ before: 4, after: 99, expected: false });
      expect(running.find((x) => x.path === "/monitoring/log_level")).toMatchObject({ expected: true });
      expect(running.filter((x) => !x.expected).map((x) => x.path)).toEqual(["/performance/max_workers"]);
    });
  });

  describe("status over time", () => {
    it("a save after in sync awaits the rollout, the report of the new config ends the wait", async () => {
      const observed = await desiredOf("vault", "staging");
      expect((await report("vault", "staging", observed)).status).toBe("in_sync");
      await editOverlay("vault", "staging", (s) => s.replace("cache_ttl: 1800", "cache_ttl: 900"));
      await scanDueDrift();
      let d = await getDriftDetail({ principal: morgan, input: { service: "vault", env: "staging" } });
      expect(d.status).toBe("awaiting_rollout");
      expect(d.awaitingUntil).not.toBeNull();
      expect(d.paths.map((p) => p.path)).toEqual(["/performance/cache_ttl"]);
      // The deadline passes without a matching report: drifted.
      await scanDueDrift({ now: new Date(Date.now() + 11 * 60_000), force: true });
      d = await getDriftDetail({ principal: morgan, input: { service: "vault", env: "staging" } });
      expect(d.status).toBe("drifted");
      (observed.performance as Record<string, number>).cache_ttl = 900;
      expect((await report("vault", "staging", observed)).status).toBe("in_sync");
    });

    it("turns stale when no report arrives within the environment's window, and unknown pairs stay unknown", async () => {
      await setDriftSettings({ principal: admin, input: { env: "staging", staleAfterSeconds: 120, rolloutDeadlineSeconds: 600, autoRemediate: false } });
      await expectServiceError(setDriftSettings({ principal: olivia, input: { env: "staging", staleAfterSeconds: 120, rolloutDeadlineSeconds: 600, autoRemediate: false } }), "forbidden");
      await scanDueDrift({ now: new Date(Date.now() + 5 * 60_000) });
      const d = await getDriftDetail({ principal: morgan, input: { service: "vault", env: "staging" } });
      expect(d.status).toBe("stale");
      const board = await getDriftBoard({ principal: morgan, input: { status: "stale" } });
      expect(board.items.map((i) => i.service)).toContain("vault");
      const summary = await getDriftSummary({ principal: morgan, input: undefined });
      const staging = summary.environments.find((e) => e.environment === "staging")!;
      expect(staging.counts.stale).toBeGreaterThan(0);
      expect(Object.values(staging.counts).reduce((a, b) => a + b, 0)).toBe(summary.services);
    });
  });

  describe("pull targets, deploy hooks and automatic remediation", () => {
    let server: Server;
    let base = "";
    const hookCalls: { auth?: string; body: Record<string, unknown> }[] = [];
    let pullAuth: string | undefined;
    let served: unknown = {};
    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = "";
        req.on("data", (c: Buffer) => (body += c.toString()));
        req.on("end", () => {
          if (req.url === "/config") {
            pullAuth = req.headers.authorization;
            res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(served));
          } else if (req.url === "/deploy") {
            hookCalls.push({ body: JSON.parse(body) as Record<string, unknown> });
            res.writeHead(202).end("queued");
          } else res.writeHead(404).end();
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it("pulls a target's config with its sealed Authorization header and scans it", async () => {
      const observed = await desiredOf("prometheus", "development");
      (observed.monitoring as Record<string, unknown>).log_level = "ERROR";
      served = observed;
      await expectServiceError(setDriftTarget({ principal: morgan, input: { service: "prometheus", env: "development", pullUrl: `${base}/config` } }), "forbidden");
      await setDriftTarget({ principal: olivia, input: { service: "prometheus", env: "development", pullUrl: `${base}/config`, pullAuthorization: "Bearer pull-secret-123", deployHookUrl: `${base}/deploy` } });
      expect(JSON.stringify(await query(db(), "select * from drift_targets"))).not.toContain("pull-secret-123");
      expect(JSON.stringify(await query(db(), "select before, after from audit_events where action = 'drift.target_set'"))).not.toContain("pull-secret-123");
      expect(await pullDueTargets()).toBe(1);
      expect(pullAuth).toBe("Bearer pull-secret-123");
      const d = await getDriftDetail({ principal: morgan, input: { service: "prometheus", env: "development" } });
      expect(d).toMatchObject({ status: "drifted", observed: { source: "pull" }, target: { deployHookConfigured: true, lastPullError: null } });
      expect(d.paths).toEqual([{ path: "/monitoring/log_level", kind: "changed", expected: "DEBUG", observed: "ERROR" }]);
      // Not due again until its interval has passed.
      expect(await pullDueTargets()).toBe(0);
    });

    it("re-apply calls the deploy hook with the desired revision and records the attempt", async () => {
      await expectServiceError(reapplyDesired({ principal: morgan, input: { service: "prometheus", env: "development" } }), "forbidden");
      const r = await reapplyDesired({ principal: olivia, input: { service: "prometheus", env: "development" } });
      expect(r).toMatchObject({ outcome: "sent", httpStatus: 202 });
      expect(hookCalls.at(-1)!.body).toMatchObject({ event: "nexus.reapply", service: "prometheus", environment: "development", reason: "manual", requestedBy: "Olivia", revisions: { overlay: { number: 1 } } });
      expect(await countRows(db(), "audit_events", "action = 'drift.reapply_requested'")).toBe(1);
      await expectServiceError(reapplyDesired({ principal: olivia, input: { service: "grafana", env: "development" } }), "conflict", /no deploy hook/);
    });

    it("automatic remediation re-applies once per desired config, never again, and never a revision pinned by a rollback", async () => {
      await setDriftSettings({ principal: admin, input: { env: "development", staleAfterSeconds: 3600, rolloutDeadlineSeconds: 0, autoRemediate: true } });
      const before = hookCalls.length;
      await query(db(), "update drift_status set scan_due_at = now() - interval '1 second'");
      const first = await scanDueDrift();
      expect(await autoRemediate(first.autoCandidates)).toBe(1);
      expect(hookCalls.length).toBe(before + 1);
      expect(hookCalls.at(-1)!.body).toMatchObject({ reason: "automatic" });
      await query(db(), "update drift_status set scan_due_at = now() - interval '1 second'");
      expect(await autoRemediate((await scanDueDrift()).autoCandidates)).toBe(0);
      expect(hookCalls.length).toBe(before + 1);

      // With automatic remediation off, two edits, then someone rolls back to the first on purpose.
      const settings = (auto: boolean) => setDriftSettings({ principal: admin, input: { env: "development", staleAfterSeconds: 3600, rolloutDeadlineSeconds: 0, autoRemediate: auto } });
      await settings(false);
      await editOverlay("prometheus", "development", (src) => src.replace("max_workers: 4", "max_workers: 5"));
      await editOverlay("prometheus", "development", (src) => src.replace("max_workers: 5", "max_workers: 6"));
      const layer = await getLayer({ principal: olivia, input: { layer: "overlay", service: "prometheus", env: "development" } });
      await rollbackLayer({ principal: olivia, input: { layer: "overlay", service: "prometheus", env: "development", toRevision: 2, baseRevision: layer.head!.id } });
      await settings(true);
      await query(db(), "update drift_status set scan_due_at = now() - interval '1 second'");
      const pinned = await scanDueDrift();
      expect(pinned.autoCandidates.map((c) => c.pair.serviceId)).toHaveLength(1);
      expect(await autoRemediate(pinned.autoCandidates)).toBe(0);
      expect(hookCalls.length).toBe(before + 1);
      // The same drift on a revision nobody pinned is re-applied.
      await editOverlay("prometheus", "development", (src) => src.replace("max_workers: 5", "max_workers: 7"));
      await query(db(), "update drift_status set scan_due_at = now() - interval '1 second'");
      expect(await autoRemediate((await scanDueDrift()).autoCandidates)).toBe(1);
      expect(hookCalls.length).toBe(before + 2);
      await setDriftSettings({ principal: admin, input: { env: "development", staleAfterSeconds: 3600, rolloutDeadlineSeconds: 600, autoRemediate: false } });
    });
  });

  describe("two scanners on one database", () => {
    it("scan each due pair exactly once", async () => {
      await query(db(), "update drift_status set scan_due_at = now() - interval '1 second'");
      const due = await countRows(db(), "drift_status", "scan_due_at <= now()");
      expect(due).toBeGreaterThan(3);
      const [a, b] = await Promise.all([scanDueDrift({ batchSize: 2, force: true }), scanDueDrift({ batchSize: 2, force: true })]);
      expect(a.scanned + b.scanned).toBe(due);
      expect(await countRows(db(), "drift_status", "scan_due_at <= now()")).toBe(0);
    });
  });
});
