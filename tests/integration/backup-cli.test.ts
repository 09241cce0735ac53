import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { GET as backupRoute } from "@/app/api/v1/backup/route";
import { POST as restoreRoute } from "@/app/api/v1/restore/route";
import { useDatabase as installDatabase, type DatabaseHandle } from "@/lib/db/client";
import { seedDemo } from "@/lib/db/seed";
import { SYSTEM } from "@/lib/server/context";
import { createToken } from "@/lib/server/tokens/create-token";
import { ensureBootstrapToken } from "@/lib/server/tokens/ensure-bootstrap-token";
import { runBackup, runRestore } from "@/scripts/nexus-backup";
import { createTestDatabase, describeEachDatabase } from "../helpers/db";
import { countRows } from "../helpers/rows";

describeEachDatabase("npm run nexus -- backup / restore --url --token", (source, kind) => {
  const dir = mkdtempSync(path.join(tmpdir(), "nexus-backup-cli-"));
  const file = path.join(dir, "bundle.ndjson.gz");
  let server: Server;
  let url = "";
  let token = "";
  let target: DatabaseHandle;

  beforeAll(async () => {
    await seedDemo(source().db);
    token = (await createToken({ principal: SYSTEM, input: { name: "ops", role: "admin", scopes: ["admin"] } })).token;
    // A real HTTP server in front of the route handlers, streaming bodies both ways.
    server = createServer((req, res) => {
      const handler = req.url!.startsWith("/api/v1/backup") ? backupRoute : restoreRoute;
      const body = req.method === "POST" ? (req as unknown as AsyncIterable<Uint8Array>) : undefined;
      const headers = new Headers(Object.entries(req.headers).map(([k, v]): [string, string] => [k, String(v)]));
      const init = { method: req.method, headers, body: body as unknown as BodyInit, duplex: "half" };
      void handler(new NextRequest(`http://localhost${req.url}`, init as ConstructorParameters<typeof NextRequest>[1]), { params: Promise.resolve({}) }).then(async (answer) => {
        res.writeHead(answer.status, Object.fromEntries(answer.headers));
        for await (const chunk of answer.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    target = await createTestDatabase(kind);
  });
  afterAll(async () => {
    installDatabase(source());
    await target.close();
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("backs up over HTTP into a gzip file, then restores it into an empty instance: dry run first, then the restore", async () => {
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      expect(await runBackup({ out: file, url, token })).toBe(0);
      const lines = gunzipSync(readFileSync(file)).toString("utf8").trim().split("\n");
      expect(JSON.parse(lines[0]!)).toMatchObject({ format: "nexus-backup" });

      // Into the same (non-empty) instance: refused, exit 1, with the reason printed.
      expect(await runRestore({ file, dryRun: false, url, token })).toBe(1);
      expect(log.mock.calls.flat().join("\n")).toMatch(/REFUSED[\s\S]*NOT empty/);

      // The new instance started with NEXUS_BOOTSTRAP_TOKEN: that token restores into it.
      installDatabase(target);
      const bootstrap = "bootstrap-token-of-the-new-instance-42";
      await ensureBootstrapToken(bootstrap);
      log.mockClear();
      expect(await runRestore({ file, dryRun: true, url, token: bootstrap })).toBe(0);
      expect(await countRows(target, "services")).toBe(0);
      expect(await runRestore({ file, dryRun: false, url, token: bootstrap })).toBe(0);
      const out = log.mock.calls.flat().join("\n");
      expect(out).toMatch(/Dry run: would restore/);
      expect(out).toMatch(/Restore: restored/);
      expect(out).toMatch(/audit chain verifies/);
      expect(await countRows(target, "services")).toBe(await countRows(source(), "services"));
      await expect(runBackup({ out: file, url, token: undefined })).rejects.toThrow(/--token/);
    } finally {
      installDatabase(source());
      err.mockRestore();
      log.mockRestore();
    }
  });
});
