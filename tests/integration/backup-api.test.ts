import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { GET as backupRoute } from "@/app/api/v1/backup/route";
import { POST as restoreRoute } from "@/app/api/v1/restore/route";
import { GET as listWebhooks, POST as createWebhook } from "@/app/api/v1/webhooks/route";
import { seedDemo } from "@/lib/db/seed";
import { listBackupRuns } from "@/lib/server/backup/list-backup-runs";
import { backupScheduleFromEnv, parseInterval, runScheduledBackup } from "@/lib/server/backup/scheduled-backup";
import { SYSTEM } from "@/lib/server/context";
import { createToken } from "@/lib/server/tokens/create-token";
import { describeEachDatabase } from "../helpers/db";
import { countRows } from "../helpers/rows";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const call = (h: Handler, method: string, url: string, token: string, body?: BodyInit, type = "application/json") =>
  h(new NextRequest(`http://localhost${url}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": type } : {}) }, body }), { params: Promise.resolve({}) });

describeEachDatabase("backup and webhook routes, scheduled backups", (db) => {
  let adminToken: string;
  let readerToken: string;
  const dir = mkdtempSync(path.join(os.tmpdir(), "nexus-backups-"));

  beforeAll(async () => {
    await seedDemo(db().db);
    adminToken = (await createToken({ principal: SYSTEM, input: { name: "admin", role: "admin", scopes: ["admin"] } })).token;
    readerToken = (await createToken({ principal: SYSTEM, input: { name: "reader", role: "viewer", scopes: ["config:read"] } })).token;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("GET /api/v1/backup streams a bundle to an admin, 403 to others; POST /api/v1/restore refuses a non-empty instance with 409", async () => {
    expect((await call(backupRoute, "GET", "/api/v1/backup", readerToken)).status).toBe(403);
    const res = await call(backupRoute, "GET", "/api/v1/backup", adminToken);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/x-ndjson/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="nexus-backup-/);
    const text = await res.text();
    const lines = text.trim().split("\n");
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: "nexus-backup", version: 1, tokenHashes: true });
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ end: true, counts: { services: await countRows(db(), "services") } });
    // Who took it is in the bundle's own audit trail.
    expect(text).toContain('"action":"backup.exported"');

    const dry = await call(restoreRoute, "POST", "/api/v1/restore?dryRun=1", adminToken, text, "application/x-ndjson");
    expect(dry.status).toBe(200);
    const report = (await dry.json()) as { ok: boolean; target: { empty: boolean; blockers: string[] }; integrity: { checksum: string } };
    expect(report).toMatchObject({ ok: false, target: { empty: false }, integrity: { checksum: "ok" } });
    const real = await call(restoreRoute, "POST", "/api/v1/restore", adminToken, text, "application/x-ndjson");
    expect(real.status).toBe(409);
    expect(real.headers.get("content-type")).toBe("application/problem+json");
    expect(((await real.json()) as { detail: string }).detail).toMatch(/not empty/);
    expect((await call(restoreRoute, "POST", "/api/v1/restore?dryRun=1", readerToken, text)).status).toBe(403);
  });

  it("POST /api/v1/webhooks validates the URL (422) and answers the secret once (201)", async () => {
    const bad = await call(createWebhook, "POST", "/api/v1/webhooks", adminToken, JSON.stringify({ name: "x", url: "gopher://x", eventTypes: ["*"] }));
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toMatch(/only http and https/);
    const ok = await call(createWebhook, "POST", "/api/v1/webhooks", adminToken, JSON.stringify({ name: "x", url: "https://example.com/h", eventTypes: ["drift.*"] }));
    expect(ok.status).toBe(201);
    const created = (await ok.json()) as { secret: string };
    expect(created.secret).toMatch(/^whsec_/);
    const list = await call(listWebhooks, "GET", "/api/v1/webhooks", adminToken);
    expect(JSON.stringify(await list.json())).not.toContain(created.secret.slice(6));
    expect((await call(listWebhooks, "GET", "/api/v1/webhooks", readerToken)).status).toBe(403);
  });

  it("scheduled backups: off without NEXUS_BACKUP_DIR; one per interval, written atomically, the newest N kept", async () => {
    expect(backupScheduleFromEnv({})).toBeNull();
    expect(backupScheduleFromEnv({ NEXUS_BACKUP_DIR: dir, NEXUS_BACKUP_INTERVAL: "6h", NEXUS_BACKUP_KEEP: "2" })).toEqual({ dir, intervalMs: 6 * 3_600_000, keep: 2 });
    expect(() => parseInterval("soon")).toThrow(/NEXUS_BACKUP_INTERVAL/);
    expect(() => parseInterval("10s")).toThrow(/at least one minute/);
    const schedule = { dir, intervalMs: 3_600_000, keep: 2 };
    const t0 = new Date("2030-01-01T00:00:00.000Z");
    const first = await runScheduledBackup(schedule, t0);
    expect(first).toMatch(/nexus-backup-2030-01-01T00-00-00-000Z\.ndjson\.gz$/);
    // Within the interval (another instance, or the next tick): nothing.
    expect(await runScheduledBackup(schedule, new Date(t0.getTime() + 30 * 60_000))).toBeNull();
    await runScheduledBackup(schedule, new Date(t0.getTime() + 3_600_000));
    await runScheduledBackup(schedule, new Date(t0.getTime() + 2 * 3_600_000));
    const files = readdirSync(dir).sort();
    expect(files).toEqual(["nexus-backup-2030-01-01T01-00-00-000Z.ndjson.gz", "nexus-backup-2030-01-01T02-00-00-000Z.ndjson.gz"]);
    const text = gunzipSync(readFileSync(path.join(dir, files[1]!))).toString("utf8").trim().split("\n");
    expect(JSON.parse(text[0]!)).toMatchObject({ format: "nexus-backup", createdAt: "2030-01-01T02:00:00.000Z" });
    expect(JSON.parse(text.at(-1)!)).toMatchObject({ end: true });
    expect(await countRows(db(), "backup_runs", "finished_at is not null and error is null")).toBe(3);

    // Settings → Backups lists them, newest first, for administrators only.
    const viewer = { id: "v", kind: "user" as const, name: "V", roles: [{ role: "viewer" as const, environments: null }] };
    await expect(listBackupRuns({ principal: viewer, input: {} })).rejects.toThrow(/settings:manage/);
    const admin = { id: "a", kind: "user" as const, name: "A", roles: [{ role: "admin" as const, environments: null }] };
    const status = await listBackupRuns({ principal: admin, input: { limit: 2 } });
    expect(status.runs.map((r) => [r.file, r.state])).toEqual([
      ["nexus-backup-2030-01-01T02-00-00-000Z.ndjson.gz", "written"],
      ["nexus-backup-2030-01-01T01-00-00-000Z.ndjson.gz", "written"],
    ]);
    expect(status.runs[0]!.bytes).toBeGreaterThan(0);
  });
});
