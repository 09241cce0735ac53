// The load generator, run as its own process so that it does not share a CPU thread with the
// server under test: reads a spec file, runs autocannon, prints one JSON line with the figures.
import { readFileSync } from "node:fs";
import autocannon from "autocannon";

export interface LoadSpec {
  url: string;
  connections: number;
  duration: number;
  requests: { path: string; headers: Record<string, string> }[];
}

export interface LoadFigures {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Filled in by the caller: the server's CPU time per request, in microseconds. */
  cpuUsPerRequest?: number;
}

async function main() {
  const spec = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as LoadSpec;
  const r = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.duration,
    timeout: 10,
    requests: spec.requests.map((q) => ({ method: "GET", path: q.path, headers: q.headers })),
  });
  const figures: LoadFigures = {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    statuses: { "2xx": r["2xx"], "3xx": r["3xx"], "4xx": r["4xx"], "5xx": r["5xx"] },
    errors: r.errors,
    timeouts: r.timeouts,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
