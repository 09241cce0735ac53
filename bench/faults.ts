// npm run bench -- faults: load with a database restart in the middle (issue 8, "Load and faults").
//
// On a disposable PostgreSQL cluster of its own (created with pg_createcluster if missing, so no
// other database on the machine is touched), loopback only, bounded in time:
//   - 200 concurrent readers of resolved configs (bearer tokens, the delivery fast path),
//   - 10 writers: 8 save development layers with baseRevision, 2 save staging and carry it to
//     production through change requests (open, two approvals, apply),
//   - PostgreSQL stopped (pg_ctlcluster … stop -m fast) at FAULTS_STOP_AT s and started again
//     FAULTS_OUTAGE s later, while /api/readyz is probed every 250 ms.
// Afterwards it checks that every acknowledged write is in the database, that revisions form
// unbroken chains, that no change request was applied twice and that the audit chain verifies,
// prints the figures and writes them to bench/RESULTS.md.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openDatabase } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { ensureBuild } from "../scripts/ensure-build";
import { freePort, startNexus, stop } from "./processes";
import { formatReport, summariseServerLog, verify, type Ack, type Sample } from "./faults-report";
import { writeSection } from "./results-file";
import { seedBenchPlatform } from "./seed-data";

const VERSION = process.env.FAULTS_PG_VERSION ?? readdirSync("/etc/postgresql").sort().at(-1) ?? "15";
const CLUSTER = process.env.FAULTS_PG_CLUSTER ?? "nexusfaults";
const PG_PORT = Number(process.env.FAULTS_PG_PORT ?? 5439);
const DURATION_S = Number(process.env.FAULTS_DURATION ?? 60);
const STOP_AT_S = Number(process.env.FAULTS_STOP_AT ?? 25);
const OUTAGE_S = Number(process.env.FAULTS_OUTAGE ?? 8);
const READERS = Number(process.env.FAULTS_READERS ?? 200);
const SERVICES = Number(process.env.FAULTS_SERVICES ?? 100);
const LAYER_WRITERS = 8;
const LOG_COPY = path.join(os.tmpdir(), "nexus-faults-server.log");
const PROMOTERS = 2;

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
// The restart itself must not block the event loop: the load generator runs in this process.
const shAsync = async (cmd: string, args: string[]) => (await promisify(execFile)(cmd, args, { encoding: "utf8" })).stdout;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ensureCluster(): void {
  const list = sh("pg_lsclusters", ["--no-header"]);
  const mine = list.split("\n").find((l) => l.split(/\s+/)[1] === CLUSTER && l.split(/\s+/)[0] === VERSION);
  if (!mine) {
    console.log(`creating a disposable PostgreSQL ${VERSION} cluster "${CLUSTER}" on port ${PG_PORT}…`);
    sh("pg_createcluster", [VERSION, CLUSTER, "-p", String(PG_PORT), "--", "--auth=trust"]);
  }
  if (!/online/.test(mine ?? "")) sh("pg_ctlcluster", [VERSION, CLUSTER, "start"]);
}

// ---------------------------------------------------------------------------------------------
// HTTP client: one keep-alive agent, every request timestamped.

const agent = new http.Agent({ keepAlive: true, maxSockets: READERS + 64 });

let base = "";
let t0 = 0;
let wallT0 = 0;
const samples: Sample[] = [];

function call(method: string, url: string, token: string, body?: unknown, kind: "read" | "write" = "write"): Promise<{ status: number; json: unknown; type: string }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      base + url,
      {
        method,
        agent,
        timeout: 10_000,
        headers: { authorization: `Bearer ${token}`, ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          const ms = performance.now() - started;
          samples.push({ at: started - t0, ms, status: res.statusCode ?? 0, kind });
          let json: unknown = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode ?? 0, json, type: String(res.headers["content-type"] ?? "") });
        });
      },
    );
    const fail = () => {
      samples.push({ at: started - t0, ms: performance.now() - started, status: 0, kind });
      resolve({ status: 0, json: null, type: "" });
    };
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", fail);
    req.end(payload);
  });
}

// ---------------------------------------------------------------------------------------------

export async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("the faults scenario stops and starts a PostgreSQL cluster with pg_ctlcluster: run it as root on a disposable machine");
  ensureBuild();
  ensureCluster();
  const adminUrl = `postgres://postgres@127.0.0.1:${PG_PORT}/postgres`;
  const dbName = `nexus_faults_${Date.now().toString(36)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  await admin.end();
  const dbUrl = `postgres://postgres@127.0.0.1:${PG_PORT}/${dbName}`;

  console.log(`seeding ${SERVICES} services × 3 environments and the tokens…`);
  const handle = await openDatabase({ kind: "postgres", url: dbUrl });
  await runMigrations(handle);
  const names = await seedBenchPlatform(handle.db, SERVICES);
  const tokens = await makeTokens(dbUrl);
  await handle.close();

  const work = mkdtempSync(path.join(os.tmpdir(), "nexus-faults-"));
  const [port, idpPort] = [await freePort(), await freePort()];
  const server = await startNexus(
    {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      NEXUS_IDP_PORT: String(idpPort),
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXUS_DATA_DIR: work,
      DATABASE_URL: dbUrl,
      NEXUS_MASTER_KEY: randomBytes(32).toString("base64"),
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      NEXUS_SKIP_BUILD_CHECK: "true",
      NEXUS_JOBS: "false",
      LOG_LEVEL: "warn",
    },
    path.join(work, "server.log"),
  );
  base = server.url;
  const acks: Ack[] = [];
  const appliedCrs: number[] = [];
  const ready: { at: number; status: number }[] = [];
  let stoppedAt = 0;
  let startedAt = 0; // when `pg_ctlcluster start` was issued: recovery is measured from here
  let startReturnedAt = 0;
  let recoveredReadyAt = 0;
  let recoveredWriteAt = 0;
  const cacheAt: Record<string, string> = {};
  const cacheCounters = async (label: string) => {
    const text = await fetch(`${base}/api/metrics`).then((r) => r.text(), () => "");
    const pick = (re: RegExp) => [...text.matchAll(re)].map((m) => `${m[1]} ${Math.round(Number(m[2]))}`).join(", ");
    cacheAt[label] = `lookups: ${pick(/^nexus_delivery_cache_lookups_total\{result="(\w+)"\} (\S+)$/gm) || "none"}; invalidations: ${pick(/^nexus_delivery_cache_invalidations_total\{source="(\w+)"\} (\S+)$/gm) || "none"}`;
  };
  try {
    const readPaths = names.flatMap((n) => ["development", "staging", "production"].map((e) => `/api/v1/services/${n}/environments/${e}/config`));
    for (const p of readPaths) await call("GET", p, tokens.reader, undefined, "read"); // warm the cache
    samples.length = 0;
    t0 = performance.now();
    wallT0 = Date.now();
    const end = t0 + DURATION_S * 1000;
    const running = () => performance.now() < end;
    const now = () => performance.now() - t0;

    const reader = async (i: number) => {
      for (let n = i; running(); n += READERS) await call("GET", readPaths[n % readPaths.length]!, tokens.reader, undefined, "read");
    };
    const layerWriter = async (w: number) => {
      const service = names[w]!;
      const url = `/api/v1/services/${service}/environments/development/layer`;
      let head: string | null = null;
      for (let n = 0; running(); n++) {
        if (head === null) {
          const r = await call("GET", url, tokens.writer);
          if (r.status !== 200) {
            await sleep(200);
            continue;
          }
          head = (r.json as { head: { id: string } | null }).head?.id ?? null;
        }
        const content = `performance:\n  max_workers: ${4 + (n % 8)}\n  writer_round: ${n}\n`;
        const r = await call("PUT", url, tokens.writer, { content, format: "yaml", message: `faults run: round ${n}`, baseRevision: head });
        if (r.status === 200) {
          const rev = (r.json as { revision: { id: string; hash: string } }).revision;
          acks.push({ service, env: "development", revisionId: rev.id, hash: rev.hash });
          head = rev.id;
          if (startedAt && !recoveredWriteAt) recoveredWriteAt = now();
        } else {
          head = null; // a 409, or an outage that may or may not have committed: read the head again
          await sleep(100);
        }
      }
    };
    const promoter = async (w: number) => {
      const service = names[LAYER_WRITERS + w]!;
      const url = `/api/v1/services/${service}/environments/staging/layer`;
      for (let n = 0; running(); n++) {
        const layer = await call("GET", url, tokens.writer);
        if (layer.status !== 200) {
          await sleep(200);
          continue;
        }
        const head = (layer.json as { head: { id: string } | null }).head?.id ?? null;
        const saved = await call("PUT", url, tokens.writer, { content: `limits:\n  rate_per_minute: ${600 + n}\n`, format: "yaml", message: `faults run: staging round ${n}`, baseRevision: head });
        if (saved.status !== 200) continue;
        const rev = (saved.json as { revision: { id: string; hash: string } }).revision;
        acks.push({ service, env: "staging", revisionId: rev.id, hash: rev.hash });
        if (startedAt && !recoveredWriteAt) recoveredWriteAt = now();
        const opened = await call("POST", "/api/v1/change-requests", tokens.writer, { kind: "promotion", services: [service], from: "staging", to: "production", title: `faults run ${w}.${n}` });
        if (opened.status !== 201 && opened.status !== 200) continue;
        const id = (opened.json as { id: string }).id;
        const a1 = await call("POST", `/api/v1/change-requests/${id}/approve`, tokens.approverA, {});
        const a2 = await call("POST", `/api/v1/change-requests/${id}/approve`, tokens.approverB, {});
        if (a1.status !== 200 || a2.status !== 200) continue;
        const applied = await call("POST", `/api/v1/change-requests/${id}/apply`, tokens.approverA, {});
        if (applied.status === 200) appliedCrs.push((applied.json as { number: number }).number);
        // An apply answered 5xx may or may not have committed: the checks below count applies in the database.
      }
    };
    const probe = async () => {
      while (running()) {
        const started = performance.now();
        const r = await new Promise<number>((resolve) => {
          const req = http.get(`${base}/api/readyz`, { agent, timeout: 3000 }, (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          });
          req.on("timeout", () => req.destroy());
          req.on("error", () => resolve(0));
        });
        ready.push({ at: started - t0, status: r });
        if (startedAt && !recoveredReadyAt && r === 200) recoveredReadyAt = now();
        await sleep(250);
      }
    };
    const fault = async () => {
      await sleep(STOP_AT_S * 1000);
      console.log(`t=${(now() / 1000).toFixed(1)} s: stopping PostgreSQL (${VERSION}/${CLUSTER})`);
      await cacheCounters("before the outage");
      stoppedAt = now();
      await shAsync("pg_ctlcluster", [VERSION, CLUSTER, "stop", "-m", "fast"]);
      await sleep(OUTAGE_S * 1000);
      console.log(`t=${(now() / 1000).toFixed(1)} s: starting PostgreSQL`);
      await cacheCounters("during the outage");
      startedAt = now();
      await shAsync("pg_ctlcluster", [VERSION, CLUSTER, "start"]);
      startReturnedAt = now();
    };
    console.log(`load: ${READERS} readers, ${LAYER_WRITERS + PROMOTERS} writers, ${DURATION_S} s; PostgreSQL restarted at ${STOP_AT_S} s for ${OUTAGE_S} s`);
    await Promise.all([
      ...Array.from({ length: READERS }, (_, i) => reader(i)),
      ...Array.from({ length: LAYER_WRITERS }, (_, i) => layerWriter(i)),
      ...Array.from({ length: PROMOTERS }, (_, i) => promoter(i)),
      probe(),
      fault(),
    ]);
    await cacheCounters("at the end");
  } finally {
    await stop(server);
    copyFileSync(path.join(work, "server.log"), LOG_COPY);
    rmSync(work, { recursive: true, force: true });
    if (!/online/.test(sh("pg_lsclusters", ["--no-header"]).split("\n").find((l) => l.includes(` ${CLUSTER} `)) ?? "")) sh("pg_ctlcluster", [VERSION, CLUSTER, "start"]);
  }

  const checks = await verify(dbUrl, acks);
  const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await a.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await a.end();

  const report = formatReport({ run: { readers: READERS, layerWriters: LAYER_WRITERS, promoters: PROMOTERS, durationS: DURATION_S, logFile: LOG_COPY }, samples, acks, appliedCrs, ready, stoppedAt, startedAt, startReturnedAt, recoveredReadyAt, recoveredWriteAt, checks, cacheAt, logSummary: summariseServerLog(LOG_COPY, wallT0) });
  console.log(`\n${report}\n`);
  writeSection("faults", report);
  if (!checks.ok) throw new Error("the consistency checks failed (see above)");
}

interface Tokens {
  reader: string;
  writer: string;
  approverA: string;
  approverB: string;
  admin: string;
}

async function makeTokens(dbUrl: string): Promise<Tokens> {
  const { createToken } = await import("@/lib/server/tokens/create-token");
  const { useDatabase: bindDatabase, openDatabase: open } = await import("@/lib/db/client");
  const h = await open({ kind: "postgres", url: dbUrl });
  bindDatabase(h);
  const boss = { id: "bench", kind: "system" as const, name: "faults bench", roles: [{ role: "admin" as const, environments: null }] };
  const make = async (name: string, role: "viewer" | "operator" | "approver" | "admin", scopes: ("config:read" | "admin")[]) =>
    (await createToken({ principal: boss, input: { name, role, scopes, services: null, environments: null } })).token;
  const tokens = {
    reader: await make("faults-reader", "viewer", ["config:read"]),
    writer: await make("faults-writer", "operator", ["admin"]),
    approverA: await make("faults-approver-a", "approver", ["admin"]),
    approverB: await make("faults-approver-b", "approver", ["admin"]),
    admin: await make("faults-admin", "admin", ["admin"]),
  };
  await h.close();
  return tokens;
}
