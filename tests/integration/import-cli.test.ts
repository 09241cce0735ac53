import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as importRoute } from "@/app/api/v1/import/route";
import { SYSTEM } from "@/lib/server/context";
import { importConfigs } from "@/lib/server/import/import-configs";
import { createToken } from "@/lib/server/tokens/create-token";
import { CliError, readImportDir, runImport } from "@/scripts/nexus-import";
import { olivia } from "../helpers/configs";
import { describeEachDatabase } from "../helpers/db";
import { countRows, expectServiceError, query } from "../helpers/rows";

const EXAMPLE = "examples/import";

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  // The CLI must use the embedded database of the temporary directory, whatever this run uses.
  delete childEnv.DATABASE_URL;
  delete childEnv.TEST_DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "--import", "./scripts/register.mjs", "scripts/nexus.ts", ...args], { env: childEnv, cwd: process.cwd() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run nexus -- import", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "nexus-cli-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("reads the example directory: two services, base and two environments, YAML, JSON and .env", () => {
    const { files, skipped } = readImportDir(EXAMPLE);
    expect(files.map((f) => f.path)).toEqual([
      "billing/base.yaml",
      "billing/development.yaml",
      "billing/staging.json",
      "ledger/base.json",
      "ledger/development.env",
      "ledger/staging.yaml",
    ]);
    expect(skipped).toEqual(["README.md"]);
  });

  it("prints the dry-run report of examples/import against an empty embedded database, exit code 0", async () => {
    const { code, stdout, stderr } = await runCli(["import", EXAMPLE, "--dry-run"], { NEXUS_DATA_DIR: dataDir });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("Dry run of the import of examples/import: 6 files");
    expect(stdout).toMatch(/billing\/base\.yaml\s+billing base\s+create-service\s+\+4 -0 ~0/);
    expect(stdout).toMatch(/ledger\/development\.env\s+ledger development\s+create-service\s+\+2 -0 ~0/);
    expect(stdout).toContain("New services: billing, ledger");
    expect(stdout).toContain("the standard pipeline development → staging → production will be created");
    expect(stdout).toContain("Summary: 6 files: 6 create-service, 0 create-layer, 0 change, 0 unchanged, 0 error.");
    expect(stdout).toContain("Dry run: nothing was written.");
  }, 120_000);

  it("exits non-zero and writes nothing when the directory has a bad file", async () => {
    const { code, stdout } = await runCli(["import", "tests/fixtures/import-bad"], { NEXUS_DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(stdout).toMatch(/billing\/staging\.yaml\s+billing staging\s+error/);
    expect(stdout).toMatch(/The YAML is malformed at line \d+, column \d+/);
    expect(stdout).toContain('Nothing was written: fix the file marked "error" and import again.');
  }, 120_000);
});

describeEachDatabase("import into an empty database", (db) => {
  it("creates the standard pipeline, the services and one revision per file", async () => {
    const files = readImportDir(EXAMPLE).files;
    await expectServiceError(importConfigs({ principal: olivia, input: { files, dryRun: true } }), "forbidden", /settings:manage/);
    const report = await importConfigs({ principal: SYSTEM, input: { files, dryRun: false } });
    expect(report).toMatchObject({ applied: true, newEnvironments: ["development", "staging", "production"], newServices: ["billing", "ledger"] });
    expect(await query(db(), "select name, protected from environments order by position")).toEqual([
      { name: "development", protected: false },
      { name: "staging", protected: false },
      { name: "production", protected: true },
    ]);
    expect(await countRows(db(), "config_revisions")).toBe(6);
    // Base and three overlays per service, and the shared template, resolved (empty) on the way.
    expect(await countRows(db(), "config_layers")).toBe(2 * 4 + 1);
    const sources = await query<{ format: string }>(db(), "select distinct format from config_revisions order by 1");
    expect(sources.map((s) => s.format)).toEqual(["env", "json", "yaml"]);
  });
});

/** A stand-in for a running Nexus: node:http in front of the real route handler. */
function serveImportRoute(): Promise<Server> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])));
    const answer = await importRoute(new NextRequest(`http://localhost${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }), { params: Promise.resolve({}) });
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(await answer.text());
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describeEachDatabase("npm run nexus -- import --url --token", (db) => {
  let server: Server;
  let url = "";
  beforeAll(async () => {
    server = await serveImportRoute();
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const run = async (token: string, dryRun = false) => {
    const out: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    try {
      return { code: await runImport({ dir: EXAMPLE, dryRun, url, token }), out: out.join("\n") };
    } finally {
      spy.mockRestore();
    }
  };

  it("imports over HTTP with a token, then finds everything unchanged", async () => {
    const { token } = await createToken({ principal: SYSTEM, input: { name: "cli", role: "admin", scopes: ["admin"] } });
    const first = await run(token);
    expect(first.code).toBe(0);
    expect(first.out).toContain("Everything was written in one transaction.");
    expect(first.out).toMatch(/ledger\/staging\.yaml\s+ledger staging\s+create-service\s+\+2 -0 ~0\s+r1/);
    expect(await countRows(db(), "config_revisions")).toBe(6);
    const again = await run(token, true);
    expect(again.code).toBe(0);
    expect(again.out).toContain("0 create-service, 0 create-layer, 0 change, 6 unchanged, 0 error.");
  });

  it("stops with the server's answer when the token may not import", async () => {
    const { token } = await createToken({ principal: SYSTEM, input: { name: "cli-viewer", role: "viewer", scopes: ["admin"] } });
    const err = await run(token).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as Error).message).toMatch(/answered 403: You do not have the config:write permission/);
    expect(await countRows(db(), "config_revisions")).toBe(6);
  });
});
