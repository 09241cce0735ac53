import { publicRoute } from "@/lib/api/route";
import { metricsText, METRICS_CONTENT_TYPE } from "@/lib/metrics";

export const dynamic = "force-dynamic";

// GET /api/metrics — Prometheus text format: request counts and latencies by route, process metrics.
export const GET = publicRoute(async () => {
  return new Response(await metricsText(), { headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" } });
});
