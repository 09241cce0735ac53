// npm run bench -- audit: filtered audit pages over 1,000,000 events on PostgreSQL (issue 7,
// "Audit views": a filtered page under 100 ms p95). Creates a scratch database on
// BENCH_POSTGRES_URL's server, migrates it, inserts synthetic events with generate_series (one SQL
// statement per 100,000 rows: their hashes are placeholders, so this chain does NOT verify, which
// the list does not need), then runs filtered pages through the real use case (listAuditEvents)
// and prints p50/p95 per filter, with the plan PostgreSQL chose. Writes bench/RESULTS.md.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import type { Principal } from "@/lib/auth/permissions";
import { openDatabase, useDatabase as installDatabase, type DatabaseHandle } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import type { AuditFilters } from "@/lib/server/audit/audit-filters";
import { auditPageQuery, listAuditEvents } from "@/lib/server/audit/list-audit-events";
import { machine, writeSection } from "./results-file";

const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_AUDIT_RUNS ?? 200);
const PAGE = 50;
const TARGET_P95_MS = 100;
const PG_ADMIN = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

// The synthetic trail's shape: 200 actors, 24 actions, 100 services (10% none), 3 environments
// (10% none), one event every 30 s over a year, oldest first.
const ACTORS = 200;
const ACTIONS = [
  "config.saved", "config.rolled_back", "config.imported", "config.promoted", "secret.created", "secret.rotated",
  "secret.deleted", "secret.revealed", "variable.set", "variable.deleted", "schema.saved", "policy.updated",
  "change_request.opened", "change_request.approved", "change_request.rejected", "change_request.applied",
  "change_request.cancelled", "change_request.outdated", "change_request.commented", "token.created",
  "token.revoked", "service.created", "user.signed_in", "environment.approval_rule_changed",
];
const SERVICES = 100;
const ENVS = ["development", "staging", "production"];
const START = Date.parse("2025-11-25T00:00:00Z");
const STEP_S = 30;

const viewer: Principal = { id: "bench", kind: "user", name: "Bench", roles: [{ role: "viewer", environments: null }] };

function insertSql(from: number, to: number): string {
  const actions = `array[${ACTIONS.map((a) => `'${a}'`).join(",")}]`;
  const envs = `array[${ENVS.map((e) => `'${e}'`).join(",")}]`;
  return `
    insert into audit_events (id, occurred_at, actor_id, actor_kind, actor_name, action, target_type, target_id,
                              service, environment, before, after, request_id, ip, user_agent, prev_hash, hash)
    select gen_random_uuid(),
           timestamptz '${new Date(START).toISOString()}' + make_interval(secs => (g * ${STEP_S})::double precision),
           'user-' || ((g * 7919) % ${ACTORS}), 'user', 'User ' || ((g * 7919) % ${ACTORS}),
           (${actions})[(1 + (g * 31) % ${ACTIONS.length})::int],
           'layer', 'target-' || (g % 5000),
           case when g % 10 = 0 then null else 'svc-' || ((g * 13) % ${SERVICES}) end,
           case when g % 10 = 5 then null else (${envs})[(1 + (g / 7) % 3)::int] end,
           jsonb_build_object('revision', g, 'value', jsonb_build_object('port', g % 65536, 'debug', g % 2 = 0)),
           jsonb_build_object('revision', g + 1, 'value', jsonb_build_object('port', (g + 1) % 65536, 'debug', g % 2 = 1)),
           md5(g::text), '10.0.' || (g % 256) || '.' || (g % 254 + 1), 'bench',
           md5('p' || g) || md5('q' || g), md5('h' || g) || md5('i' || g)
    from generate_series(${from}::bigint, ${to}::bigint) g`;
}

type Scenario = { name: string; filters: (i: number) => AuditFilters; pages?: number };

const iso = (ms: number) => new Date(ms).toISOString();
const span = EVENTS * STEP_S * 1000;
const at = (fraction: number) => START + Math.floor(span * fraction);

const SCENARIOS: Scenario[] = [
  { name: "no filter (newest page)", filters: () => ({}) },
  { name: "actor", filters: (i) => ({ actor: `user-${(i * 37) % ACTORS}` }) },
  { name: "action", filters: (i) => ({ action: ACTIONS[i % ACTIONS.length]! }) },
  { name: "service", filters: (i) => ({ service: `svc-${(i * 7) % SERVICES}` }) },
  { name: "environment", filters: (i) => ({ env: ENVS[i % 3]! }) },
  { name: "service + environment", filters: (i) => ({ service: `svc-${(i * 7) % SERVICES}`, env: ENVS[i % 3]! }) },
  { name: "actor + action", filters: (i) => ({ actor: `user-${(i * 37) % ACTORS}`, action: ACTIONS[i % ACTIONS.length]! }) },
  { name: "time range (one week, anywhere in the year)", filters: (i) => ({ from: iso(at((i % 50) / 52)), to: iso(at((i % 50) / 52) + 7 * 86_400_000) }) },
  { name: "time range (last 30 days) + service", filters: (i) => ({ service: `svc-${(i * 7) % SERVICES}`, from: iso(at(1) - 30 * 86_400_000) }) },
  { name: "one day, long ago + environment", filters: (i) => ({ env: ENVS[i % 3]!, from: iso(at(0.1 + (i % 40) / 100)), to: iso(at(0.1 + (i % 40) / 100) + 86_400_000) }) },
  { name: "actor + service + environment (rare)", filters: (i) => ({ actor: `user-${(i * 37) % ACTORS}`, service: `svc-${(i * 7) % SERVICES}`, env: ENVS[i % 3]! }) },
  { name: "service, 5 pages deep by cursor", filters: (i) => ({ service: `svc-${(i * 7) % SERVICES}` }), pages: 5 },
];

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function explain(handle: DatabaseHandle, filters: AuditFilters): Promise<string> {
  const q = auditPageQuery(handle.db, filters, undefined, PAGE + 1).toSQL();
  const rows = await handle.sql!.unsafe(`explain (analyze, costs off, timing off, summary off) ${q.sql}`, q.params as never[]);
  return rows.map((r) => (r as Record<string, string>)["QUERY PLAN"]).join("\n");
}

export async function main(): Promise<void> {
  const name = `nexus_bench_audit_${randomBytes(4).toString("hex")}`;
  const admin = postgres(PG_ADMIN, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: "postgres", url: url.toString() });
  try {
    await runMigrations(handle);
    console.log(`inserting ${EVENTS.toLocaleString("en-US")} synthetic audit events into ${name}…`);
    const t0 = performance.now();
    const BATCH = 100_000;
    for (let from = 1; from <= EVENTS; from += BATCH) {
      await handle.sql!.unsafe(insertSql(from, Math.min(EVENTS, from + BATCH - 1)));
      process.stdout.write(".");
    }
    await handle.sql!.unsafe("analyze audit_events");
    const insertSeconds = (performance.now() - t0) / 1000;
    console.log(` ${insertSeconds.toFixed(1)} s`);

    installDatabase(handle);
    const results: { name: string; p50: number; p95: number; max: number; rows: number; n: number }[] = [];
    for (const s of SCENARIOS) {
      await listAuditEvents({ principal: viewer, input: { ...s.filters(0), limit: PAGE } }); // warm the plan cache path
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < RUNS; i++) {
        let cursor: string | undefined;
        for (let p = 0; p < (s.pages ?? 1); p++) {
          const started = performance.now();
          const page = await listAuditEvents({ principal: viewer, input: { ...s.filters(i), cursor, limit: PAGE } });
          times.push(performance.now() - started);
          rows += page.items.length;
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
        }
      }
      times.sort((a, b) => a - b);
      const r = { name: s.name, p50: quantile(times, 0.5), p95: quantile(times, 0.95), max: times.at(-1)!, rows: rows / times.length, n: times.length };
      results.push(r);
      console.log(`${s.name.padEnd(48)} p50 ${r.p50.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms  max ${r.max.toFixed(1).padStart(6)} ms  (${r.rows.toFixed(0)} rows/page, ${r.n} pages)`);
    }
    const plans = [
      ["service + environment", { service: "svc-7", env: "staging" }],
      ["time range (one week)", { from: iso(at(0.3)), to: iso(at(0.3) + 7 * 86_400_000) }],
      ["one day long ago + environment", { env: "production", from: iso(at(0.2)), to: iso(at(0.2) + 86_400_000) }],
      ["actor + action", { actor: "user-37", action: "config.saved" }],
      ["actor + service + environment (rare)", { actor: "user-37", service: "svc-7", env: "production" }],
    ] as const;
    const planTexts: string[] = [];
    for (const [label, f] of plans) planTexts.push(`${label.trim()}:\n${await explain(handle, f)}`);
    console.log(`\n${planTexts.join("\n\n")}`);

    const worst = Math.max(...results.map((r) => r.p95));
    const table = [
      "| filter | p50 ms | p95 ms | max ms | rows/page | pages |",
      "| --- | --- | --- | --- | --- | --- |",
      ...results.map((r) => `| ${r.name} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${r.rows.toFixed(0)} | ${r.n} |`),
    ].join("\n");
    writeSection(
      "audit",
      [
        "## Audit pages over 1,000,000 events (`npm run bench -- audit`)",
        "",
        `Last run: ${new Date().toISOString()}`,
        `Machine: ${machine()}`,
        "",
        `PostgreSQL, a scratch database with ${EVENTS.toLocaleString("en-US")} synthetic audit events (${ACTORS} actors, ${ACTIONS.length} actions,`,
        `${SERVICES} services, ${ENVS.length} environments, one event every ${STEP_S} s), inserted with generate_series in ${insertSeconds.toFixed(0)} s.`,
        "Their hashes are placeholders: this chain does not verify (the list does not read hashes). Each page is",
        `${PAGE} events newest first, read through listAuditEvents (the use case behind GET /api/v1/audit), ${RUNS} runs`,
        `per filter with varying values. Target: p95 under ${TARGET_P95_MS} ms. Worst p95: ${worst.toFixed(1)} ms — ${worst < TARGET_P95_MS ? "met" : "MISSED"}.`,
        "",
        table,
        "",
        "Plans PostgreSQL chose (EXPLAIN ANALYZE):",
        "",
        "```",
        planTexts.join("\n\n"),
        "```",
      ].join("\n"),
    );
  } finally {
    installDatabase(null);
    await handle.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
