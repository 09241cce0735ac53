// The checks after `npm run bench -- faults` and its report: what the database holds against what
// the clients were told, and the figures per phase (before, during and after the outage).
import { readFileSync } from "node:fs";
import postgres from "postgres";
import { machine } from "./results-file";

export interface Sample {
  at: number; // ms since the load began
  ms: number;
  status: number; // 0: socket error or timeout
  kind: "read" | "write";
}

export interface Ack {
  service: string;
  env: string;
  revisionId: string;
  hash: string;
}

export interface RunShape {
  readers: number;
  layerWriters: number;
  promoters: number;
  durationS: number;
  logFile: string;
}

export interface Checks {
  ok: boolean;
  acknowledged: number;
  found: number;
  brokenChains: number;
  layersChecked: number;
  appliedTwice: number;
  appliedInDb: number;
  auditVerified: boolean;
  auditEvents: number;
}

export async function verify(dbUrl: string, acks: Ack[]): Promise<Checks> {
  const sql = postgres(dbUrl, { max: 2, onnotice: () => {} });
  try {
    const ids = acks.map((a) => a.revisionId);
    const found = ids.length === 0 ? [] : await sql<{ id: string; hash: string }[]>`select id, hash from config_revisions where id = any(${ids}::uuid[])`;
    const byId = new Map(found.map((r) => [r.id, r.hash]));
    const present = acks.filter((a) => byId.get(a.revisionId) === a.hash).length;
    const chains = await sql<{ layer_id: string; broken: number }[]>`
      select layer_id, count(*) filter (where
        number <> expected or parent_id is distinct from prev_id)::int as broken
      from (select layer_id, number, parent_id,
                   row_number() over (partition by layer_id order by number) as expected,
                   lag(id) over (partition by layer_id order by number) as prev_id
            from config_revisions) r
      group by layer_id`;
    const twice = await sql<{ n: number }[]>`
      select count(*)::int as n from (select target_id from audit_events where action = 'change_request.applied' group by target_id having count(*) > 1) x`;
    const applied = await sql<{ n: number }[]>`select count(*)::int as n from change_requests where state = 'applied'`;
    const events = await sql<{ n: number }[]>`select count(*)::int as n from audit_events`;
    // The chain is verified by the product's own use case, as an admin would through the API.
    const { verifyAuditChain } = await import("@/lib/server/audit/verify-audit-chain");
    const { useDatabase: bindDatabase, openDatabase: open } = await import("@/lib/db/client");
    const h = await open({ kind: "postgres", url: dbUrl });
    bindDatabase(h);
    const boss = { id: "bench", kind: "system" as const, name: "faults bench", roles: [{ role: "admin" as const, environments: null }] };
    const verdict = await verifyAuditChain({ principal: boss, input: undefined });
    await h.close();
    const auditVerified = verdict.ok;
    const brokenChains = chains.filter((c) => c.broken > 0).length;
    const checks: Checks = {
      acknowledged: acks.length,
      found: present,
      brokenChains,
      layersChecked: chains.length,
      appliedTwice: twice[0]!.n,
      appliedInDb: applied[0]!.n,
      auditVerified,
      auditEvents: events[0]!.n,
      ok: false,
    };
    checks.ok = present === acks.length && brokenChains === 0 && checks.appliedTwice === 0 && auditVerified;
    return checks;
  } finally {
    await sql.end();
  }
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/**
 * What the server logged about the database during the run: each 503 that reached the driver with
 * its cause, and the breaker opening and closing (lib/db/breaker.ts), at seconds since the load began.
 */
export function summariseServerLog(file: string, wallT0: number): string[] {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return ["- The server's log could not be read."];
  }
  const causes = new Map<string, number>();
  const breaker: string[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    let e: { msg?: string; time?: string; cause?: string; err?: { message?: string }; downForMs?: number; refused?: number };
    try {
      e = JSON.parse(line) as typeof e;
    } catch {
      continue;
    }
    const t = e.time ? ((Date.parse(e.time) - wallT0) / 1000).toFixed(1) : "?";
    if (e.msg === "database unavailable: answered 503") {
      const key = `${e.cause ?? "no code"} at ${Math.floor(Number(t))} s`;
      causes.set(key, (causes.get(key) ?? 0) + 1);
    } else if (e.msg?.startsWith("database unavailable: answering 503")) {
      breaker.push(`opened at ${t} s (${e.cause ?? e.err?.message ?? "?"})`);
    } else if (e.msg === "database answers again") {
      breaker.push(`closed at ${t} s after ${((e.downForMs ?? 0) / 1000).toFixed(2)} s, ${e.refused ?? 0} refused at once`);
    }
  }
  const list = [...causes].map(([k, v]) => `${k}: ${v}`).join("; ");
  return [
    `- 503s that reached the driver, by cause and second: ${list || "none"}.`,
    `- Breaker: ${breaker.join("; ") || "never opened"}.`,
  ];
}

export function formatReport(r: {
  run: RunShape;
  samples: Sample[];
  acks: Ack[];
  appliedCrs: number[];
  ready: { at: number; status: number }[];
  stoppedAt: number;
  startedAt: number;
  startReturnedAt: number;
  recoveredReadyAt: number;
  recoveredWriteAt: number;
  checks: Checks;
  cacheAt: Record<string, string>;
  logSummary: string[];
}): string {
  const since = (t: number) => (t > 0 ? t - r.startedAt : Infinity);
  const recoveredAt = r.recoveredReadyAt > 0 && r.recoveredWriteAt > 0 ? Math.max(r.recoveredReadyAt, r.recoveredWriteAt) : Infinity;
  const phase = (s: Sample) => (s.at < r.stoppedAt ? "before" : s.at < recoveredAt ? "during" : "after");
  const rows: string[] = [];
  for (const kind of ["read", "write"] as const) {
    for (const ph of ["before", "during", "after"] as const) {
      const set = r.samples.filter((s) => s.kind === kind && phase(s) === ph);
      const ok = set.filter((s) => s.status >= 200 && s.status < 400);
      const statuses = new Map<string, number>();
      for (const s of set) if (!(s.status >= 200 && s.status < 400)) statuses.set(String(s.status || "socket"), (statuses.get(String(s.status || "socket")) ?? 0) + 1);
      const errors = [...statuses].map(([k, v]) => `${k}: ${v}`).join(", ") || "none";
      const ms = set.map((s) => s.ms);
      rows.push(`| ${kind} | ${ph} | ${set.length.toLocaleString("en-US")} | ${ok.length.toLocaleString("en-US")} | ${errors} | ${pct(ms, 50).toFixed(1)} | ${pct(ms, 99).toFixed(1)} |`);
    }
  }
  const duringOutage = r.samples.filter((x) => x.at >= r.stoppedAt && x.at < r.startedAt);
  const slowInOutage = duringOutage.filter((x) => x.ms > 1000).length;
  const slowBySecond = new Map<number, number>();
  for (const x of r.samples) if (x.ms > 1000) slowBySecond.set(Math.floor(x.at / 1000), (slowBySecond.get(Math.floor(x.at / 1000)) ?? 0) + 1);
  const outage = r.ready.filter((p) => p.at >= r.stoppedAt && p.at < r.startedAt);
  const notReady = outage.filter((p) => p.status === 503).length;
  const s = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : "never");
  const c = r.checks;
  return [
    "## Load with a PostgreSQL restart (`npm run bench -- faults`)",
    "",
    `Last run: ${new Date().toISOString()}`,
    `Machine: ${machine()}`,
    "",
    `${r.run.readers} readers (GET resolved config, bearer token) and ${r.run.layerWriters + r.run.promoters} writers (${r.run.layerWriters} saving development layers, ${r.run.promoters} saving staging and`,
    `promoting it to production: open, two approvals, apply) for ${r.run.durationS} s against PostgreSQL on a disposable cluster; the cluster`,
    `was stopped (\`pg_ctlcluster stop -m fast\`) at ${s(r.stoppedAt)}; \`pg_ctlcluster start\` was issued at ${s(r.startedAt)} and returned at ${s(r.startReturnedAt)}.`,
    "Recovery is measured from when the start was issued; \"during\" runs from the stop to the first acknowledged write and readyz 200 after it.",
    "",
    "| requests | phase | sent | answered 2xx/3xx | errors by status | p50 ms | p99 ms |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    `- Requests served: ${r.samples.filter((x) => x.status >= 200 && x.status < 400).length.toLocaleString("en-US")} of ${r.samples.length.toLocaleString("en-US")}.`,
    `- Requests sent while PostgreSQL was down: ${duringOutage.length.toLocaleString("en-US")}; answered after more than 1 s: ${slowInOutage}; slowest: ${Math.max(0, ...duringOutage.map((x) => x.ms)).toFixed(0)} ms.`,
    `- Requests answered after more than 1 s, by second sent: ${[...slowBySecond].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k} s: ${v}`).join(", ") || "none"}.`,
    `- /api/readyz during the outage: ${notReady} of ${outage.length} probes answered 503.`,
    `- Recovery after the start was issued: readyz 200 after ${s(since(r.recoveredReadyAt))}, first acknowledged write after ${s(since(r.recoveredWriteAt))} (no restart of Nexus).`,
    `- Writes acknowledged: ${c.acknowledged}; found in the database with the same hash: ${c.found}.`,
    `- Revision chains: ${c.layersChecked} layers checked, ${c.brokenChains} broken.`,
    `- Change requests applied (acknowledged / in the database): ${r.appliedCrs.length} / ${c.appliedInDb}; applied twice: ${c.appliedTwice}.`,
    `- Audit chain (${c.auditEvents.toLocaleString("en-US")} events): ${c.auditVerified ? "verifies" : "DOES NOT VERIFY"}.`,
    ...Object.entries(r.cacheAt).map(([k, v]) => `- Delivery cache ${k} (cumulative): ${v}.`),
    ...r.logSummary,
    `- The server's log of the run is kept in ${r.run.logFile}.`,
    `- Verdict: ${c.ok ? "every check passed" : "FAILED"}.`,
  ].join("\n");
}
