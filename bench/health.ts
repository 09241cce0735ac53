// npm run bench -- health: the health checker at scale (issue 6, "Scale"). 1,000 HTTP checks at a
// 30 s interval against local endpoints (a separate process, 2–20 ms jitter, so its CPU is not
// counted here), first runs spread over one interval, the checker ticked every second as the job
// runner does, for BENCH_HEALTH_SECONDS (default 150). Reported: results recorded against those
// due, how late checks ran (gap between consecutive runs minus the interval, and the first run
// against its due time), and the CPU share of this process (checker + database when embedded).
// On PGlite always; on PostgreSQL too when TEST_DATABASE_URL or BENCH_DATABASE_URL names a server.
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import { sql } from "drizzle-orm";
import { environments, healthChecks, services } from "@/drizzle/schema";
import { percentile } from "@/lib/domain/health";
import { rowsOf, useDatabase as installDatabase } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { getHealthBoard } from "@/lib/server/health/get-health-board";
import { rollUpHealthResults } from "@/lib/server/health/roll-up-results";
import { createChecker } from "@/lib/server/health/run-due-checks";
import { SYSTEM } from "@/lib/server/context";
import { benchPostgresUrl, openBenchDatabase } from "./bench-database";
import { machine, writeSection } from "./results-file";

const CHECKS = Number(process.env.BENCH_HEALTH_CHECKS ?? 1000);
const INTERVAL_S = 30;
const SECONDS = Number(process.env.BENCH_HEALTH_SECONDS ?? 150);
const TARGET_PORT = Number(process.env.BENCH_HEALTH_PORT ?? 3650);

interface Figures {
  database: string;
  due: number;
  recorded: number;
  lateMaxS: number;
  gapP50S: number;
  gapP99S: number;
  gapMaxS: number;
  firstLateP99S: number;
  cpuPct: number;
  rssMb: number;
  rollupMs: number;
  boardMs: number;
}

function startTargets(): Promise<ChildProcess> {
  const code = `require("node:http").createServer((q, s) => setTimeout(() => s.writeHead(200, {"content-type":"application/json"}).end('{"status":"ok"}'), 2 + Math.random() * 18)).listen(${TARGET_PORT}, "127.0.0.1", () => console.log("ready"))`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout!.once("data", () => resolve(child));
    child.once("exit", (c) => reject(new Error(`the target process exited with ${c}`)));
  });
}


async function runOne(kind: "pglite" | "postgres"): Promise<Figures> {
  const { handle, cleanup } = await openBenchDatabase(kind, "health");
  try {
    await runMigrations(handle);
    installDatabase(handle);
    const db = handle.db;
    const envRows = await db.insert(environments).values([0, 1, 2].map((i) => ({ name: ["development", "staging", "production"][i]!, position: i }))).returning();
    const svcRows = await db.insert(services).values(Array.from({ length: Math.ceil(CHECKS / 3) }, (_, i) => ({ name: `svc-${String(i).padStart(4, "0")}` }))).returning();
    const start = new Date(Date.now() + 2000);
    const rows = Array.from({ length: CHECKS }, (_, i) => ({
      serviceId: svcRows[Math.floor(i / 3)]!.id,
      environmentId: envRows[i % 3]!.id,
      name: "http",
      kind: "http" as const,
      target: `http://127.0.0.1:${TARGET_PORT}/svc/${i}/health`,
      jsonPath: "status",
      jsonExpected: "ok",
      intervalSeconds: INTERVAL_S,
      timeoutMs: 5000,
      createdBy: "bench",
      // First runs spread evenly over one interval, as after a while of normal operation.
      nextRunAt: new Date(start.getTime() + Math.floor((i * INTERVAL_S * 1000) / CHECKS)),
    }));
    for (let i = 0; i < rows.length; i += 500) await db.insert(healthChecks).values(rows.slice(i, i + 500));

    const checker = createChecker({ concurrency: 200 });
    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    let ticking = false;
    const timer = setInterval(() => {
      if (ticking) return;
      ticking = true;
      checker.tick().catch((e: unknown) => console.error(e)).finally(() => (ticking = false));
    }, 1000);
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    clearInterval(timer);
    await checker.drain();
    const wallMs = Date.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuPct = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;

    const results = rowsOf<{ check_id: string; at: Date | string }>(await db.execute(sql`select check_id, checked_at as at from health_results order by check_id, checked_at`));
    const byCheck = new Map<string, number[]>();
    for (const r of results) {
      const list = byCheck.get(r.check_id) ?? [];
      list.push(new Date(r.at).getTime());
      byCheck.set(r.check_id, list);
    }
    const ids = rowsOf<{ id: string; name: string; i: number }>(await db.execute(sql`select id, target from health_checks`)) as unknown as { id: string; target: string }[];
    const gaps: number[] = [];
    const firstLate: number[] = [];
    let due = 0;
    // Runs due in the last 1.5 s may fall after the last tick: they are not counted as due.
    const endAt = t0 + SECONDS * 1000 - 1500;
    for (const c of ids) {
      const i = Number(/svc\/(\d+)\//.exec(c.target)![1]);
      const firstDue = rows[i]!.nextRunAt.getTime();
      due += firstDue <= endAt ? Math.floor((endAt - firstDue) / (INTERVAL_S * 1000)) + 1 : 0;
      const ts = byCheck.get(c.id) ?? [];
      if (ts.length > 0) firstLate.push((ts[0]! - firstDue) / 1000);
      for (let k = 1; k < ts.length; k++) gaps.push((ts[k]! - ts[k - 1]!) / 1000);
    }
    const gapMax = gaps.length ? Math.max(...gaps) : 0;
    const lateMax = Math.max(gapMax - INTERVAL_S, ...firstLate, 0);

    let t = process.hrtime.bigint();
    await rollUpHealthResults(db);
    const rollupMs = Number(process.hrtime.bigint() - t) / 1e6;
    t = process.hrtime.bigint();
    await getHealthBoard({ principal: SYSTEM, input: undefined });
    const boardMs = Number(process.hrtime.bigint() - t) / 1e6;

    return {
      database: kind === "pglite" ? "embedded (PGlite)" : "PostgreSQL",
      due,
      recorded: results.length,
      lateMaxS: lateMax,
      gapP50S: percentile(gaps, 0.5) ?? 0,
      gapP99S: percentile(gaps, 0.99) ?? 0,
      gapMaxS: gapMax,
      firstLateP99S: percentile(firstLate, 0.99) ?? 0,
      cpuPct,
      rssMb: process.memoryUsage().rss / 2 ** 20,
      rollupMs,
      boardMs,
    };
  } finally {
    installDatabase(null);
    await cleanup();
  }
}

export async function main() {
  const targets = await startTargets();
  const kinds: ("pglite" | "postgres")[] = benchPostgresUrl() ? ["pglite", "postgres"] : ["pglite"];
  const figures: Figures[] = [];
  try {
    for (const kind of kinds) {
      console.log(`health: ${CHECKS} checks every ${INTERVAL_S} s for ${SECONDS} s on ${kind}…`);
      const f = await runOne(kind);
      console.log(f);
      figures.push(f);
    }
  } finally {
    targets.kill();
  }
  const f1 = (n: number) => n.toFixed(1);
  const md = `## Health checker (\`npm run bench -- health\`)

Last run: ${new Date().toISOString()}
Machine: ${machine()}

${CHECKS} HTTP checks (JSON expectation \`status == "ok"\`) at a ${INTERVAL_S} s interval against local endpoints in a
separate process (2–20 ms per answer), first runs spread over one interval; the checker (concurrency 200) ticked every
second as the job runner does, for ${SECONDS} s. "Late" is how far a run started after it was due: the first run against
its due time, later ones as the gap between consecutive runs minus the interval. CPU is this process's user + system time
over wall time (100% = one core of ${os.cpus().length}); with PGlite that includes the embedded database.

| database | results / due | gap p50 s | gap p99 s | gap max s | first run late p99 s | latest run, s late | CPU share (one core) | RSS MiB | rollup ms | board ms | target |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${figures.map((f) => `| ${f.database} | ${f.recorded.toLocaleString("en")} / ${f.due.toLocaleString("en")} | ${f1(f.gapP50S)} | ${f1(f.gapP99S)} | ${f1(f.gapMaxS)} | ${f1(f.firstLateP99S)} | ${f1(f.lateMaxS)} | ${f1(f.cpuPct)}% | ${Math.round(f.rssMb)} | ${Math.round(f.rollupMs)} | ${Math.round(f.boardMs)} | ${f.lateMaxS < INTERVAL_S && f.recorded >= f.due * 0.99 ? "met" : "MISSED"} |`).join("\n")}

Target (issue 6): no check late by more than one interval (${INTERVAL_S} s) and every due run recorded.
`;
  console.log(`\n${md}\nwritten to ${writeSection("health", md)}`);
}
