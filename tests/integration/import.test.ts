import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as importRoute } from "@/app/api/v1/import/route";
import { POST as createServiceRoute } from "@/app/api/v1/services/route";
import { seedDemo } from "@/lib/db/seed";
import { createService } from "@/lib/server/catalog/create-service";
import { getResolvedConfig } from "@/lib/server/configs/get-resolved-config";
import { SYSTEM } from "@/lib/server/context";
import { importConfigs } from "@/lib/server/import/import-configs";
import type { ImportReport } from "@/lib/server/import/import-report";
import { createToken } from "@/lib/server/tokens/create-token";
import { alice, configCounts, devOnly, morgan, olivia } from "../helpers/configs";
import { describeEachDatabase } from "../helpers/db";
import { countRows, expectServiceError, query } from "../helpers/rows";

const BILLING = [
  { path: "billing/base.yaml", content: "service:\n  name: ${service.name}\nhttp:\n  port: 8080\n" },
  { path: "billing/development.yaml", content: "database:\n  host: localhost\n" },
  { path: "billing/staging.json", content: '{"database": {"host": "billing-db.staging"}}' },
  { path: "billing/production.env", content: "DATABASE_HOST=billing-db.prod\n" },
];
const GRAFANA_DEV = { path: "grafana/development.yaml", content: "monitoring:\n  log_level: INFO\n" };

async function post(handler: typeof importRoute, path: string, token: string, body: unknown) {
  const req = new NextRequest(`http://localhost${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const res = await handler(req, { params: Promise.resolve({}) });
  return { status: res.status, type: res.headers.get("content-type"), json: (await res.json()) as Record<string, unknown> };
}

const actions = (r: ImportReport) => Object.fromEntries(r.files.map((f) => [f.path, f.action]));

describeEachDatabase("import", (db) => {
  let token = "";
  beforeAll(async () => {
    await seedDemo(db().db);
    token = (await createToken({ principal: SYSTEM, input: { name: "importer", role: "admin", scopes: ["admin"] } })).token;
  });

  describe("createService", () => {
    it("creates a service with a base layer and one overlay per environment, audited", async () => {
      const created = await createService({ principal: olivia, input: { name: "payments", description: "Card payments", owner: "team-pay", tags: ["app"] } });
      expect(created).toMatchObject({ name: "payments", description: "Card payments", owner: "team-pay", tags: ["app"] });
      const layers = await query<{ kind: string; env: string | null; head_number: number }>(
        db(),
        "select l.kind, e.name as env, l.head_number from config_layers l join services s on s.id = l.service_id left join environments e on e.id = l.environment_id where s.name = 'payments' order by l.kind, e.position",
      );
      expect(layers).toEqual([
        { kind: "base", env: null, head_number: 0 },
        { kind: "overlay", env: "development", head_number: 0 },
        { kind: "overlay", env: "staging", head_number: 0 },
        { kind: "overlay", env: "production", head_number: 0 },
      ]);
      const [audit] = await query<{ action: string; actor_id: string; service: string }>(db(), "select action, actor_id, service from audit_events order by seq desc limit 1");
      expect(audit).toEqual({ action: "service.created", actor_id: "olivia", service: "payments" });
    });

    it("answers 409 for a name that exists, 403 without services:manage, and writes nothing", async () => {
      const counts = await configCounts(db());
      await expectServiceError(createService({ principal: olivia, input: { name: "payments" } }), "conflict", /already exists/);
      await expectServiceError(createService({ principal: morgan, input: { name: "other" } }), "forbidden", /services:manage/);
      expect(await configCounts(db())).toEqual(counts);
    });

    it("POST /api/v1/services answers 201", async () => {
      const res = await post(createServiceRoute, "/api/v1/services", token, { name: "ledger", tags: ["app"] });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({ name: "ledger", description: "", owner: "", tags: ["app"] });
    });
  });

  describe("importConfigs", () => {
    it("a dry run reports what would happen and writes nothing", async () => {
      const counts = await configCounts(db());
      const grafanaProd = { path: "grafana/production.yaml", content: "monitoring:\n  log_level: ERROR\n" };
      const report = await importConfigs({ principal: olivia, input: { files: [...BILLING, GRAFANA_DEV, grafanaProd], dryRun: true } });
      expect(report).toMatchObject({ dryRun: true, applied: false, newServices: ["billing"], newEnvironments: [] });
      expect(actions(report)).toEqual({
        "billing/base.yaml": "create-service",
        "billing/development.yaml": "create-service",
        "billing/staging.json": "create-service",
        "billing/production.env": "create-service",
        "grafana/development.yaml": "change",
        "grafana/production.yaml": "error",
      });
      const dev = report.files.find((f) => f.path === GRAFANA_DEV.path)!;
      expect(dev.diff).toEqual({ added: 0, removed: 4, changed: 1 });
      const prod = report.files.find((f) => f.path === grafanaProd.path)!;
      expect(prod.problem).toMatchObject({ code: "conflict", detail: expect.stringMatching(/^protected: production is protected.*change request/) });
      expect(report.summary).toMatchObject({ files: 6, "create-service": 4, change: 1, error: 1 });
      expect(await configCounts(db())).toEqual(counts);
    });

    it("imports each file as a revision, all in one transaction, the first content of production included", async () => {
      const counts = await configCounts(db());
      const report = await importConfigs({ principal: olivia, input: { files: [...BILLING, GRAFANA_DEV], dryRun: false } });
      expect(report.applied).toBe(true);
      expect(report.files.map((f) => f.revision)).toEqual([1, 1, 1, 1, 2]);
      const after = await configCounts(db());
      expect(after.revisions).toBe(counts.revisions + 5);
      expect(after.services).toBe(counts.services + 1);
      // now() is the transaction's start: one timestamp for every row means one transaction.
      const rows = await query<{ message: string; created_at: string; author_id: string }>(db(), "select message, created_at::text, author_id from config_revisions where message like 'Imported from %' and author_id = 'olivia'");
      expect(rows.map((r) => r.message).sort()).toEqual([...BILLING, GRAFANA_DEV].map((f) => `Imported from ${f.path}`).sort());
      expect(new Set(rows.map((r) => r.created_at)).size).toBe(1);
      expect(await countRows(db(), "audit_events", "action = 'config.imported'")).toBe(5);
      expect(await countRows(db(), "audit_events", "action = 'configs.imported'")).toBe(1);

      const prod = await getResolvedConfig({ principal: olivia, input: { service: "billing", env: "production" } });
      expect(prod.value).toMatchObject({ service: { name: "billing" }, http: { port: 8080 }, DATABASE_HOST: "billing-db.prod", application: { environment: "production" } });
      const again = await importConfigs({ principal: olivia, input: { files: [...BILLING, GRAFANA_DEV], dryRun: true } });
      expect(new Set(again.files.map((f) => f.action))).toEqual(new Set(["unchanged"]));
    });

    it("writes nothing when one file of the batch is bad, and says where it is bad", async () => {
      const counts = await configCounts(db());
      const files = [
        { path: "shipping/base.yaml", content: "carrier: dhl\n" },
        { path: "shipping/development.yaml", content: "carrier: ups\nrates: [1, 2\n" },
        { path: "billing/staging.json", content: '{"database": {"host": "billing-db2.staging"}}' },
      ];
      const err = await expectServiceError(importConfigs({ principal: olivia, input: { files, dryRun: false } }), "invalid", /1 of 3 files cannot be imported, so nothing was imported/);
      const report = err.details.report as ImportReport;
      expect(actions(report)).toEqual({ "shipping/base.yaml": "create-service", "shipping/development.yaml": "error", "billing/staging.json": "change" });
      const bad = report.files[1]!;
      expect(bad.problem!.detail).toMatch(/The YAML is malformed at line \d+, column \d+/);
      expect(bad.problem!.errors[0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
      expect(err.details.errors).toContainEqual(expect.objectContaining({ path: "shipping/development.yaml", line: expect.any(Number) }));
      expect(await configCounts(db())).toEqual(counts);
    });

    it("reports paths, names, environments, duplicates, schema and reference problems per file", async () => {
      const files = [
        { path: "Billing_API/development.yaml", content: "a: 1\n" },
        { path: "billing/qa.yaml", content: "a: 1\n" },
        { path: "billing/notes.txt", content: "hello" },
        { path: "billing/staging.yaml", content: "a: 1\n" },
        { path: "nexus-backend/development.yaml", content: "database:\n  host: localhost\n  port: eighty\n  ssl: false\n" },
        { path: "redis/development.yaml", content: "url: redis://${var:REDIS_HOST}\n" },
        { path: "redis/base.yaml", content: "x: 1\n" },
      ];
      const report = await importConfigs({ principal: olivia, input: { files: [...files, { path: "billing/staging.json", content: "{}" }], dryRun: true } });
      const problem = (path: string) => report.files.find((f) => f.path === path)!.problem!;
      expect(problem("Billing_API/development.yaml").detail).toMatch(/"Billing_API" is not a valid service name/);
      expect(problem("billing/qa.yaml").detail).toMatch(/unknown environment qa: the environments are development, staging, production/);
      expect(problem("billing/notes.txt").detail).toMatch(/unknown file type/);
      expect(problem("billing/staging.json").detail).toMatch(/billing\/staging.json and billing\/staging.yaml both set billing in staging/);
      expect(problem("nexus-backend/development.yaml").errors).toContainEqual(expect.objectContaining({ path: "/database/port", line: 3, column: 3 }));
      expect(problem("redis/development.yaml").errors[0]).toMatchObject({ path: "/url", message: expect.stringMatching(/REDIS_HOST/), line: 1 });
      // The base change reaches production, which is configured already: a change request's job.
      expect(problem("redis/base.yaml").detail).toMatch(/^protected: production/);
      expect(report.files.find((f) => f.path === "billing/staging.yaml")!.action).toBe("change");
    });

    it("checks config:write for every environment a file reaches", async () => {
      const counts = await configCounts(db());
      await expectServiceError(importConfigs({ principal: morgan, input: { files: [GRAFANA_DEV], dryRun: true } }), "forbidden", /config:write/);
      await expectServiceError(importConfigs({ principal: alice, input: { files: [GRAFANA_DEV], dryRun: true } }), "forbidden", /config:write/);
      const dev = await importConfigs({ principal: devOnly, input: { files: [GRAFANA_DEV], dryRun: true } });
      expect(dev.files[0]!.action).toBe("unchanged");
      await expectServiceError(importConfigs({ principal: devOnly, input: { files: [{ path: "grafana/base.yaml", content: "a: 1" }], dryRun: true } }), "forbidden", /config:write permission for service grafana in environment staging/);
      await expectServiceError(importConfigs({ principal: devOnly, input: { files: [{ path: "billing/production.yaml", content: "a: 1" }], dryRun: true } }), "forbidden", /environment production/);
      expect(await configCounts(db())).toEqual(counts);
    });

    it("POST /api/v1/import: 200 with the report for a dry run, 422 problem+json with the report when blocked", async () => {
      const counts = await configCounts(db());
      const dry = await post(importRoute, "/api/v1/import?dryRun=1", token, { files: [{ path: "audit-svc/base.yaml", content: "a: 1\n" }] });
      expect(dry.status).toBe(200);
      expect(dry.json).toMatchObject({ dryRun: true, applied: false, newServices: ["audit-svc"] });
      const blocked = await post(importRoute, "/api/v1/import", token, { files: [{ path: "audit-svc/base.yaml", content: "a: [\n" }], message: "first import" });
      expect(blocked.status).toBe(422);
      expect(blocked.type).toBe("application/problem+json");
      expect(blocked.json).toMatchObject({ status: 422, report: { applied: false, summary: { error: 1 } } });
      expect(await configCounts(db())).toEqual(counts);
      const done = await post(importRoute, "/api/v1/import", token, { files: [{ path: "audit-svc/base.yaml", content: "a: 1\n" }], message: "first import" });
      expect(done.status).toBe(200);
      expect(done.json).toMatchObject({ applied: true, files: [{ action: "create-service", revision: 1 }] });
      const [row] = await query<{ message: string }>(db(), "select message from config_revisions order by created_at desc limit 1");
      expect(row!.message).toBe("first import (imported from audit-svc/base.yaml)");
    });
  });
});
