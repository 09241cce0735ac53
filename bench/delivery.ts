// npm run bench -- delivery: the delivery fast path under load (issue 3, "Performance"). For the embedded
// database, and for PostgreSQL when it answers on 127.0.0.1:5432: seed 1,000 services × 3
// environments (~200 keys each), start the production server, warm the cache, then measure
// resolved-config reads (200 and 304) at 50 connections against a bare node:http server serving
// the same bytes. Prints a table and writes bench/RESULTS.md.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openDatabase, type DatabaseTarget } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { ensureBuild } from "../scripts/ensure-build";
import type { LoadFigures, LoadSpec } from "./load";
import { cpuSeconds, freePort, runLoad, startBare, startNexus, stop, type Running } from "./processes";
import { formatTable, writeResults, type Row, type TargetNotes } from "./report";
import { BENCH_ENVIRONMENTS, seedBenchPlatform } from "./seed-data";

const SERVICES = Number(process.env.BENCH_SERVICES ?? 1000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const PG_ADMIN = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

interface Fixture {
  path: string;
  etag: string;
  contentType: string;
  body: string;
}

async function postgresAnswers(): Promise<boolean> {
  const sql = postgres(PG_ADMIN, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

/** Reads every config once (filling the cache) and keeps the bytes for the bare server. */
async function warm(url: string, token: string, paths: string[]): Promise<Fixture[]> {
  const fixtures: Fixture[] = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < paths.length; i = next++) {
      const res = await fetch(url + paths[i]!, { headers: { authorization: `Bearer ${token}` } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`GET ${paths[i]} answered ${res.status}: ${body.slice(0, 300)}`);
      fixtures[i] = { path: paths[i]!, etag: res.headers.get("etag")!, contentType: res.headers.get("content-type")!, body };
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return fixtures;
}

/** The load's figures plus the server process's CPU time per request (robust to a busy machine). */
async function measure(server: Running, spec: LoadSpec, specFile: string): Promise<LoadFigures> {
  const before = cpuSeconds(server.child.pid!);
  const figures = await runLoad(spec, specFile);
  const used = cpuSeconds(server.child.pid!) - before;
  return { ...figures, cpuUsPerRequest: (used * 1e6) / Math.max(1, figures.total) };
}

async function cacheCounters(url: string): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(`${url}/api/metrics`)).text();
  const value = (result: string) => Number(new RegExp(`^nexus_delivery_cache_lookups_total\\{result="${result}"\\} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
  return { hit: value("hit"), miss: value("miss") };
}

async function runTarget(kind: "pglite" | "postgres", work: string): Promise<{ rows: Row[]; notes: TargetNotes }> {
  const label = kind === "pglite" ? "embedded (PGlite)" : "PostgreSQL";
  const dir = mkdtempSync(path.join(work, `${kind}-`));
  const token = `bench_${randomBytes(32).toString("base64url")}`;
  const [port, idpPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    NEXUS_IDP_PORT: String(idpPort),
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    NEXUS_DATA_DIR: dir,
    NEXUS_BOOTSTRAP_TOKEN: token,
    NEXUS_SKIP_BUILD_CHECK: "true", // built just now; a concurrent edit must not start a second build
    // One token reads everything here, faster than the per-token limit (20,000/s) on a quiet machine:
    // the limiter still runs on every request (its cost is measured), it just never refuses.
    NEXUS_RATE_LIMIT_DELIVERY: "10000000,20000000",
  };

  let target: DatabaseTarget = { kind: "pglite", dir: path.join(dir, "pgdata") };
  const dbName = `nexus_bench_${Date.now().toString(36)}`;
  if (kind === "postgres") {
    const admin = postgres(PG_ADMIN, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${dbName}`);
    await admin.end();
    const url = new URL(PG_ADMIN);
    url.pathname = `/${dbName}`;
    Object.assign(env, {
      DATABASE_URL: url.toString(),
      NEXUS_MASTER_KEY: randomBytes(32).toString("base64"),
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    });
    target = { kind: "postgres", url: url.toString() };
  }
  try {
    // Seeded before the server starts: an embedded data directory opens in one process at a time.
    console.log(`\n[${label}] seeding ${SERVICES} services × ${BENCH_ENVIRONMENTS.length} environments…`);
    let t = Date.now();
    const handle = await openDatabase(target);
    await runMigrations(handle);
    const names = await seedBenchPlatform(handle.db, SERVICES);
    await handle.close();
    const seedSeconds = (Date.now() - t) / 1000;

    console.log(`[${label}] starting the production server on port ${port}…`);
    // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to see where the time goes.
    const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
    const server = await startNexus(env, path.join(dir, "server.log"), nodeArgs);
    const paths = names.flatMap((n) => BENCH_ENVIRONMENTS.map((e) => `/api/v1/services/${n}/environments/${e}/config`));
    const specFile = path.join(dir, "load.json");
    const spec = (url: string, conditional: boolean, fixtures: Fixture[], duration = DURATION): LoadSpec => ({
      url,
      connections: CONNECTIONS,
      duration,
      requests: fixtures.map((f) => ({
        path: f.path,
        headers: { authorization: `Bearer ${token}`, ...(conditional ? { "if-none-match": f.etag } : {}) },
      })),
    });
    let fixtures: Fixture[];
    let warmSeconds = 0;
    let bare: Running | null = null;
    const measured: Record<string, LoadFigures> = {};
    let counters = { hit: 0, miss: 0 };
    try {
      console.log(`[${label}] warming the cache with ${paths.length} configs…`);
      t = Date.now();
      fixtures = await warm(server.url, token, paths);
      warmSeconds = (Date.now() - t) / 1000;
      const fixtureFile = path.join(dir, "fixtures.json");
      writeFileSync(fixtureFile, JSON.stringify(fixtures));
      bare = await startBare(fixtureFile);
      console.log(`[${label}] measuring (${CONNECTIONS} connections, ${DURATION} s each, ours and bare in turn)…`);
      const servers = { ours: server, bare };
      for (const who of ["ours", "bare"] as const) await runLoad(spec(servers[who].url, false, fixtures, 3), specFile); // JIT warm-up
      // Each pair back to back, so that other work on the machine weighs on both alike.
      for (const conditional of [false, true]) {
        for (const who of ["ours", "bare"] as const) {
          measured[`${who}${conditional ? 304 : 200}`] = await measure(servers[who], spec(servers[who].url, conditional, fixtures), specFile);
        }
      }
      counters = await cacheCounters(server.url);
    } finally {
      await stop(server);
      if (bare) await stop(bare);
    }
    const avgBody = Math.round(fixtures.reduce((n, f) => n + Buffer.byteLength(f.body), 0) / fixtures.length);
    return {
      rows: [
        { database: label, request: "GET config, warm (200, json)", ours: measured.ours200!, bare: measured.bare200! },
        { database: label, request: "GET config, If-None-Match (304)", ours: measured.ours304!, bare: measured.bare304! },
      ],
      notes: { database: label, configs: paths.length, avgBody, seedSeconds, warmSeconds, counters },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (kind === "postgres") {
      const admin = postgres(PG_ADMIN, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
      await admin.end();
    }
  }
}

export async function main(): Promise<void> {
  ensureBuild();
  const work = mkdtempSync(path.join(os.tmpdir(), "nexus-bench-"));
  const kinds: ("pglite" | "postgres")[] = ["pglite"];
  if (await postgresAnswers()) kinds.push("postgres");
  else console.log("PostgreSQL does not answer on 127.0.0.1:5432: measuring the embedded database only.");
  const loadBefore = os.loadavg();
  const rows: Row[] = [];
  const notes: TargetNotes[] = [];
  try {
    for (const kind of kinds) {
      const r = await runTarget(kind, work);
      rows.push(...r.rows);
      notes.push(r.notes);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`\n${formatTable(rows)}\n`);
  const file = writeResults(rows, notes, loadBefore);
  console.log(`Written to ${path.relative(process.cwd(), file)}`);
}
