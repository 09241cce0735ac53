// npm run bench -- health-board: the health board's 24 h uptime over a full day of results.
// 1,000 checks every 30 s make 2.9 million raw results a day. The board counts each check's last
// 24 hours on every refresh (it polls every 10 s); finished hours come from the hourly rollups and
// only the two partial ends from raw results (lib/server/health/queries.ts). Baseline in the same
// run: the same counts from the raw results alone. On PostgreSQL (TEST_DATABASE_URL or
// BENCH_DATABASE_URL) and on PGlite.
import { sql } from "drizzle-orm";
import { environments, healthChecks, services } from "@/drizzle/schema";
import { rowsOf, useDatabase as installDatabase } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { SYSTEM } from "@/lib/server/context";
import { getHealthBoard } from "@/lib/server/health/get-health-board";
import { countsByCheck, rawCounts } from "@/lib/server/health/queries";
import { rollUpHealthResults } from "@/lib/server/health/roll-up-results";
import { benchPostgresUrl, openBenchDatabase } from "./bench-database";
import { machine, writeSection } from "./results-file";

const CHECKS = Number(process.env.BENCH_BOARD_CHECKS ?? 1000);
const INTERVAL_S = 30;
const ROUNDS = 5;

interface Figures {
  database: string;
  results: number;
  seedS: number;
  rollupS: number;
  rawMs: number;
  hybridMs: number;
  boardMs: number;
  equal: boolean;
}


const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const runs: number[] = [];
  await fn(); // warm
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await fn();
    runs.push(performance.now() - t);
  }
  return median(runs);
}

async function runOne(kind: "pglite" | "postgres"): Promise<Figures> {
  const { handle, cleanup } = await openBenchDatabase(kind, "board");
  try {
    await runMigrations(handle);
    installDatabase(handle);
    const db = handle.db;
    const envRows = await db.insert(environments).values(["development", "staging", "production"].map((name, position) => ({ name, position }))).returning();
    const svcRows = await db.insert(services).values(Array.from({ length: Math.ceil(CHECKS / 3) }, (_, i) => ({ name: `svc-${String(i).padStart(4, "0")}` }))).returning();
    const checks = Array.from({ length: CHECKS }, (_, i) => ({
      serviceId: svcRows[Math.floor(i / 3)]!.id,
      environmentId: envRows[i % 3]!.id,
      name: "http",
      kind: "http" as const,
      target: `http://127.0.0.1:9/svc/${i}/health`,
      intervalSeconds: INTERVAL_S,
      createdBy: "bench",
      enabled: false, // never run here: the results below are written directly
    }));
    for (let i = 0; i < checks.length; i += 500) await db.insert(healthChecks).values(checks.slice(i, i + 500));

    // A full day (and a little more) of results, one every 30 s per check, about 1 in 40 down.
    const now = new Date();
    let t = performance.now();
    await db.execute(sql`
      insert into health_results (check_id, checked_at, status, latency_ms)
      select c.id, ${now.toISOString()}::timestamptz - make_interval(secs => s * ${INTERVAL_S}) - make_interval(secs => (abs(hashtext(c.id::text)) % ${INTERVAL_S})),
             case when (s + abs(hashtext(c.id::text))) % 40 = 0 then 'down' when (s * 7) % 53 = 0 then 'degraded' else 'up' end,
             5 + (s % 17)
      from health_checks c, generate_series(0, ${Math.ceil((25 * 3600) / INTERVAL_S)}) s`);
    const seedS = (performance.now() - t) / 1000;
    const [{ n: results }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from health_results`)) as [{ n: number }];
    if (kind === "postgres") await db.execute(sql`analyze`);
    t = performance.now();
    await rollUpHealthResults(db);
    const rollupS = (performance.now() - t) / 1000;

    const ids = checks.length ? rowsOf<{ id: string }>(await db.execute(sql`select id from health_checks`)).map((r) => r.id) : [];
    const since = new Date(now.getTime() - 86_400_000);
    const rawMs = await timed(() => db.execute(rawCounts(ids, since, now)));
    const hybridMs = await timed(() => countsByCheck(db, ids, "24h", now));
    const boardMs = await timed(() => getHealthBoard({ principal: SYSTEM, input: undefined }, now));

    const raw = new Map(rowsOf<{ check_id: string; total: number; down: number; degraded: number }>(await db.execute(rawCounts(ids, since, now))).map((r) => [r.check_id, `${r.total}/${r.down}/${r.degraded}`]));
    const hybrid = await countsByCheck(db, ids, "24h", now);
    const equal = ids.every((id) => { const h = hybrid.get(id); return raw.get(id) === (h ? `${h.total}/${h.down}/${h.degraded}` : undefined); });
    return { database: kind === "pglite" ? "embedded (PGlite)" : "PostgreSQL", results, seedS, rollupS, rawMs, hybridMs, boardMs, equal };
  } finally {
    installDatabase(null);
    await cleanup();
  }
}

export async function main() {
  const kinds: ("pglite" | "postgres")[] = benchPostgresUrl() ? ["postgres", "pglite"] : ["pglite"];
  const figures: Figures[] = [];
  for (const kind of kinds) {
    console.log(`health-board: ${CHECKS} checks, a day of results every ${INTERVAL_S} s, on ${kind}…`);
    const f = await runOne(kind);
    console.log(f);
    figures.push(f);
  }
  const ms = (n: number) => (n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString("en"));
  const md = `## Health board over a day of results (\`npm run bench -- health-board\`)

Last run: ${new Date().toISOString()}
Machine: ${machine()}

${CHECKS} checks with a result every ${INTERVAL_S} s for 25 hours, rolled up once by the rollup job. "24 h counts" is what the
board (and each service's health page) computes on every refresh: finished hours from the hourly rollups, the partial ends
from raw results. Baseline in the same run: the same counts from the raw results alone, as before. Median of ${ROUNDS} runs
after one warm-up; "equal" compares both answers for every check.

| database | raw results | seed s | rollup s | 24 h counts, raw only (baseline) ms | 24 h counts, rollups + raw ms | ratio | whole board ms | equal |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${figures.map((f) => `| ${f.database} | ${f.results.toLocaleString("en")} | ${f.seedS.toFixed(1)} | ${f.rollupS.toFixed(1)} | ${ms(f.rawMs)} | ${ms(f.hybridMs)} | ${(f.rawMs / f.hybridMs).toFixed(1)}× faster | ${ms(f.boardMs)} | ${f.equal ? "yes" : "NO"} |`).join("\n")}
`;
  console.log(`\n${md}\nwritten to ${writeSection("health-board", md)}`);
  if (figures.some((f) => !f.equal)) throw new Error("the rollup-based 24 h counts differ from the raw counts");
}
