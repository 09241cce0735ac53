import client from "prom-client";
import { openedDatabaseHandle } from "@/lib/db/client";

// prom-client is loaded from node_modules by both the custom server and the route bundles
// (serverExternalPackages), so they share one registry; register each metric only once.
const g = globalThis as unknown as { __nexusMetrics?: ReturnType<typeof create> };

function create() {
  client.collectDefaultMetrics({ prefix: "nexus_" });
  return {
    httpRequests: new client.Counter({
      name: "nexus_http_requests_total",
      help: "HTTP requests served, by method, route and status code",
      labelNames: ["method", "route", "status"] as const,
    }),
    httpDuration: new client.Histogram({
      name: "nexus_http_request_duration_seconds",
      help: "HTTP request latency in seconds, by method and route",
      labelNames: ["method", "route"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
    deliveryCacheLookups: new client.Counter({
      name: "nexus_delivery_cache_lookups_total",
      help: "Resolved-config reads on the delivery fast path, by cache result (hit, miss)",
      labelNames: ["result"] as const,
    }),
    deliveryCacheEntries: new client.Gauge({
      name: "nexus_delivery_cache_entries",
      help: "Rendered configs held by the delivery cache",
    }),
    deliveryCacheBytes: new client.Gauge({
      name: "nexus_delivery_cache_bytes",
      help: "Bytes of rendered configs held by the delivery cache",
    }),
    deliveryInvalidations: new client.Counter({
      name: "nexus_delivery_cache_invalidations_total",
      help: "Change notices that dropped delivery cache entries, by source (local, notify, resync)",
      labelNames: ["source"] as const,
    }),
    jobRuns: new client.Counter({
      name: "nexus_job_runs_total",
      help: "Background job runs, by job and outcome (ok, error, database_unavailable)",
      labelNames: ["job", "outcome"] as const,
    }),
    jobDuration: new client.Histogram({
      name: "nexus_job_duration_seconds",
      help: "How long one run of a background job took, by job",
      labelNames: ["job"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
    jobLag: new client.Histogram({
      name: "nexus_job_lag_seconds",
      help: "How late a job run started after it was due (timer delay, or the previous run still going), by job",
      labelNames: ["job"] as const,
      buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
    }),
    healthCheckLag: new client.Histogram({
      name: "nexus_health_check_lag_seconds",
      help: "How late a health check started after its due time",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    }),
    healthCheckResults: new client.Counter({
      name: "nexus_health_check_results_total",
      help: "Health check results recorded, by status (up, degraded, down)",
      labelNames: ["status"] as const,
    }),
    healthChecksInFlight: new client.Gauge({
      name: "nexus_health_checks_in_flight",
      help: "Health probes running now in this process",
    }),
    // Read from the database breaker (lib/db/breaker.ts) when scraped; PostgreSQL only.
    databaseUnavailable: new client.Gauge({
      name: "nexus_database_unavailable",
      help: "1 while PostgreSQL is known to be down and database work is refused at once with 503, else 0",
      async collect() {
        this.set((await breakerOf())?.state === "open" ? 1 : 0);
      },
    }),
    databaseOutages: new client.Gauge({
      name: "nexus_database_outages",
      help: "Times the database breaker opened since this process started",
      async collect() {
        this.set((await breakerOf())?.totalOpened ?? 0);
      },
    }),
    databaseRefused: new client.Gauge({
      name: "nexus_database_refused_queries",
      help: "Queries and transactions the database breaker refused since this process started",
      async collect() {
        this.set((await breakerOf())?.totalRefused ?? 0);
      },
    }),
  };
}

async function breakerOf() {
  const opening = openedDatabaseHandle();
  return opening ? (await opening.catch(() => null))?.breaker : undefined;
}

export const metrics = g.__nexusMetrics ?? (g.__nexusMetrics = create());

export function metricsText(): Promise<string> {
  return client.register.metrics();
}

export const METRICS_CONTENT_TYPE = client.register.contentType;
