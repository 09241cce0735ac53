// The benchmark's table and bench/RESULTS.md.
import { machine, writeSection } from "./results-file";
import type { LoadFigures } from "./load";

export const TARGET_P99_MS = 25;
export const TARGET_RATIO = 0.3;

export interface Row {
  database: string;
  request: string;
  ours: LoadFigures;
  bare: LoadFigures;
}

export interface TargetNotes {
  database: string;
  configs: number;
  avgBody: number;
  seedSeconds: number;
  warmSeconds: number;
  counters: { hit: number; miss: number };
}

const n0 = (v: number) => Math.round(v).toLocaleString("en-US");
const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)}`;
const cpu = (f: LoadFigures) => (f.cpuUsPerRequest === undefined ? "–" : f.cpuUsPerRequest.toFixed(0));
const ratio = (r: Row) => r.ours.rps / r.bare.rps;
const met = (r: Row) => r.ours.p99 < TARGET_P99_MS && ratio(r) >= TARGET_RATIO;

/** Non-2xx/3xx answers or socket errors would make the figures meaningless: say so next to them. */
function anomalies(f: LoadFigures): string {
  const bad = f.statuses["4xx"]! + f.statuses["5xx"]! + f.errors + f.timeouts;
  return bad > 0 ? ` (${bad} errors)` : "";
}

export function formatTable(rows: Row[]): string {
  const head = ["database", "request", "req/s", "p50 ms", "p99 ms", "CPU µs/req", "bare req/s", "bare p50", "bare p99", "bare CPU µs/req", "ours/bare", "targets"];
  const body = rows.map((r) => [
    r.database,
    r.request,
    n0(r.ours.rps) + anomalies(r.ours),
    ms(r.ours.p50),
    ms(r.ours.p99),
    cpu(r.ours),
    n0(r.bare.rps) + anomalies(r.bare),
    ms(r.bare.p50),
    ms(r.bare.p99),
    cpu(r.bare),
    `${(ratio(r) * 100).toFixed(0)}%`,
    met(r) ? "met" : "MISSED",
  ]);
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...body.map(line)].join("\n");
}


export function writeResults(rows: Row[], notes: TargetNotes[], loadBefore: number[]): string {
  const text = [
    "## Delivery fast path (`npm run bench -- delivery`)",
    "",
    `Last run: ${new Date().toISOString()}`,
    `Machine: ${machine()}`,
    `Load average before the run: ${loadBefore.map((l) => l.toFixed(2)).join(", ")} (other work on the machine shares the cores)`,
    "",
    `GET /api/v1/services/{svc}/environments/{env}/config with a bearer token, spread over every`,
    `service × environment, 50 connections, 10 s each, autocannon in its own process. "bare" is a`,
    `node:http server answering the same requests with the same bytes and headers (less`,
    `X-Request-Id) from a Map. Profile the server with BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR".`,
    `Targets: p99 under ${TARGET_P99_MS} ms and at least ${TARGET_RATIO * 100}% of the bare server's throughput.`,
    `"CPU µs/req" is the server process's user + system CPU time per answered request (from /proc),`,
    `which other load on the machine does not inflate the way it inflates latency.`,
    `The per-token delivery rate limit (20,000/s) is raised for the run, since one token reads everything;`,
    `the limiter still runs on every request. Earlier runs on a quiet machine counted its 429s as errors.`,
    "",
    formatTable(rows),
    "",
    ...notes.map(
      (n) =>
        `- ${n.database}: ${n.configs.toLocaleString("en-US")} configs, ${n.avgBody.toLocaleString("en-US")} bytes on average; seeded in ${n.seedSeconds.toFixed(1)} s; ` +
        `first read of every config (cache fill through the use case) took ${n.warmSeconds.toFixed(1)} s; ` +
        `cache lookups during the run: ${n0(n.counters.hit)} hits, ${n0(n.counters.miss)} misses.`,
    ),
    "",
  ].join("\n");
  return writeSection("delivery", text);
}
