// npm run bench -- drift: the drift scan (issue 5, "Scale"). On the embedded database (PGlite, in a
// temporary directory): seed N services × 3 environments with ~200-key configs, record an observed
// report for every pair (5% of them with a changed value, 2% with an extra key), then time
//   1. a cold full scan: every pair resolved, diffed and written, nothing cached in the process;
//   2. a rescan with nothing changed (the periodic pass): identity checks and the clock only;
//   3. a forced full scan with warm caches (as after an ignore-rule change for every service).
// For 1,000 services and for 10× that (BENCH_DRIFT_SERVICES="1000,10000" by default).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { driftStatus, observedConfigs } from "@/drizzle/schema";
import { canonicalJson, sha256Hex } from "@/lib/domain/canonical-json";
import type { ConfigObject } from "@/lib/domain/config-value";
import { openDatabase, rowsOf, useDatabase as installDatabase } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { clearDesiredCache, loadDesiredHeads, resolveDesired, pairKey } from "@/lib/server/drift/desired";
import { scanDueDrift } from "@/lib/server/drift/scan";
import { machine, writeSection } from "./results-file";
import { seedBenchPlatform } from "./seed-data";

const COUNTS = (process.env.BENCH_DRIFT_SERVICES ?? "1000,10000").split(",").map(Number);
const TARGET_MS = 2000;

interface Figures {
  services: number;
  pairs: number;
  seedS: number;
  reportS: number;
  cold: { ms: number; cpuMs: number; recomputed: number; drifted: number };
  idle: { ms: number; cpuMs: number; recomputed: number };
  warm: { ms: number; cpuMs: number; recomputed: number };
  keys: number;
  rssMb: number;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
// CPU time of this process (the scanner and PGlite both run in it): unlike wall time, other work on
// a shared machine does not inflate it.
const cpuMs = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};

async function runOne(services: number): Promise<Figures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "nexus-bench-drift-"));
  const handle = await openDatabase({ kind: "pglite", dir });
  try {
    await runMigrations(handle);
    installDatabase(handle);
    const db = handle.db;
    let t0 = process.hrtime.bigint();
    await seedBenchPlatform(db, services);
    const seedS = ms(t0) / 1000;

    // Observed reports: the desired config itself, some of it changed, as a fleet of agents would send.
    t0 = process.hrtime.bigint();
    const pairs = rowsOf<{ service_id: string; environment_id: string }>(await db.execute(sql`select s.id as service_id, e.id as environment_id from services s cross join environments e order by s.name, e.position`)).map((r) => ({ serviceId: r.service_id, environmentId: r.environment_id }));
    const now = new Date();
    let keys = 0;
    for (let i = 0; i < pairs.length; i += 500) {
      const chunk = pairs.slice(i, i + 500);
      const desired = await resolveDesired(db, [...(await loadDesiredHeads(db, chunk)).values()]);
      const rows = chunk.map((p, j) => {
        const d = desired.get(pairKey(p));
        if (!d || "error" in d) throw new Error(`bench config does not resolve: ${d && "error" in d ? d.error : "missing"}`);
        const value = structuredClone(d.value) as ConfigObject & { tuning: ConfigObject; logging: ConfigObject };
        if (i === 0 && j === 0) keys = countLeaves(value);
        const n = i + j;
        if (n % 20 === 0) value.tuning.param_07 = -1;
        if (n % 50 === 1) value.logging.hot_patch = true;
        return { ...p, value, hashedPaths: [], hash: sha256Hex(canonicalJson(value)), source: "push" as const, reportedBy: "bench", reportedAt: now, changedAt: now };
      });
      await db.insert(observedConfigs).values(rows);
      await db.insert(driftStatus).values(chunk.map((p) => ({ ...p, status: "unknown" as const, scanDueAt: now })));
    }
    const reportS = ms(t0) / 1000;

    clearDesiredCache();
    t0 = process.hrtime.bigint();
    let c0 = process.cpuUsage();
    const cold = await scanDueDrift({ now: new Date(now.getTime() + 1000) });
    const coldMs = ms(t0);
    const coldCpu = cpuMs(c0);
    const [{ n: drifted } = { n: 0 }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from drift_status where status = 'drifted'`));

    await db.execute(sql`update drift_status set scan_due_at = now() - interval '1 second'`);
    t0 = process.hrtime.bigint();
    c0 = process.cpuUsage();
    const idle = await scanDueDrift({ now: new Date(Date.now() + 2000) });
    const idleMs = ms(t0);
    const idleCpu = cpuMs(c0);

    await db.execute(sql`update drift_status set scan_due_at = now() - interval '1 second'`);
    t0 = process.hrtime.bigint();
    c0 = process.cpuUsage();
    const warm = await scanDueDrift({ now: new Date(Date.now() + 3000), force: true });
    const warmMs = ms(t0);
    const warmCpu = cpuMs(c0);

    if (cold.scanned !== pairs.length || idle.scanned !== pairs.length || warm.scanned !== pairs.length) {
      throw new Error(`expected every pair scanned once per pass: ${cold.scanned}/${idle.scanned}/${warm.scanned} of ${pairs.length}`);
    }
    return {
      services,
      pairs: pairs.length,
      seedS,
      reportS,
      cold: { ms: coldMs, cpuMs: coldCpu, recomputed: cold.recomputed, drifted: Number(drifted) },
      idle: { ms: idleMs, cpuMs: idleCpu, recomputed: idle.recomputed },
      warm: { ms: warmMs, cpuMs: warmCpu, recomputed: warm.recomputed },
      keys,
      rssMb: process.memoryUsage().rss / 2 ** 20,
    };
  } finally {
    installDatabase(null);
    clearDesiredCache();
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function countLeaves(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + countLeaves(x), 0);
  if (v && typeof v === "object") return Object.values(v).reduce((n: number, x) => n + countLeaves(x), 0);
  return 1;
}

const f0 = (n: number) => Math.round(n).toLocaleString("en-US");
const f1 = (n: number) => n.toFixed(1);

export async function main(): Promise<void> {
  process.env.NEXUS_MASTER_KEY ??= Buffer.alloc(32, 7).toString("base64");
  const load = os.loadavg().map((x) => x.toFixed(2)).join(", ");
  const results: Figures[] = [];
  for (const n of COUNTS) {
    console.log(`drift: ${n} services × 3 environments …`);
    const r = await runOne(n);
    console.log(`  cold full scan ${f0(r.cold.ms)} ms (CPU ${f0(r.cold.cpuMs)}), idle rescan ${f0(r.idle.ms)} ms, warm forced scan ${f0(r.warm.ms)} ms`);
    results.push(r);
  }
  const base = results[0]!;
  const rows = results.map((r) => {
    const met = r.services === 1000 ? (r.cold.ms < TARGET_MS ? "met" : r.cold.cpuMs < TARGET_MS ? "missed in wall time (CPU time within)" : "missed") : "—";
    return `| ${f0(r.services)} × 3 = ${f0(r.pairs)} | ${r.keys} | ${f0(r.cold.ms)} (CPU ${f0(r.cold.cpuMs)}; ${f0((r.cold.ms * 1000) / r.pairs)} µs/pair) | ${f0(r.idle.ms)} (CPU ${f0(r.idle.cpuMs)}) | ${f0(r.warm.ms)} (CPU ${f0(r.warm.cpuMs)}) | ${f0(r.cold.drifted)} | ${met} | ${f1(r.seedS)} s + ${f1(r.reportS)} s | ${f0(r.rssMb)} MiB |`;
  });
  const growth = results.length > 1 ? results.slice(1).map((r) => `${f0(r.services)} services: cold scan ×${(r.cold.ms / base.cold.ms).toFixed(1)}, idle rescan ×${(r.idle.ms / base.idle.ms).toFixed(1)}, warm forced ×${(r.warm.ms / base.warm.ms).toFixed(1)} for ×${r.services / base.services} the pairs`).join("; ") : "";
  const md = `## Drift scan (\`npm run bench -- drift\`)

Last run: ${new Date().toISOString()}
Machine: ${machine()}
Load average before the run: ${load} (other work on the machine shares the cores)

Embedded database (PGlite in a temporary directory), in one process with the scanner
(\`scanDueDrift\`, the job's own function: claims due pairs in batches of 500 with FOR UPDATE
SKIP LOCKED, resolves, diffs, writes statuses, drift episodes and outbox events). Every pair has an
observed report; 5% have a changed value and 2% an extra key, so those end drifted.
- **cold**: first scan after the reports, nothing cached in the process (every desired config
  resolved from its revisions, every observed config read and diffed, every status written).
- **idle**: the periodic rescan when nothing changed (desired identity from layer heads, variables
  and secret versions compared; the clock re-decides stale / awaiting rollout).
- **warm forced**: every pair diffed again with desired configs cached (as after an ignore-rule change).
Target: a scan of 1,000 services × 3 environments with ~200-key configs under ${TARGET_MS / 1000} s. Times are wall
clock (ms) with the process's CPU time beside them: the machine is shared, and its load inflates wall time.

| pairs | leaf keys per config | cold full scan ms | idle rescan ms | warm forced scan ms | drifted | target | seed + reports | RSS |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}

${growth ? `Growth at 10× the services: ${growth}.` : ""}
`;
  const file = writeSection("drift", md);
  console.log(md);
  console.log(`written to ${file}`);
}
