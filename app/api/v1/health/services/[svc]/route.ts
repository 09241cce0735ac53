import { z } from "zod";
import { route } from "@/lib/api/route";
import { getServiceHealth } from "@/lib/server/health/get-service-health";
import { RANGES } from "@/lib/server/health/queries";

const query = z.object({ range: z.enum(RANGES).default("24h"), check: z.uuid().optional() }).strict();

// GET /api/v1/health/services/{svc}?range=24h|7d|30d&check= — checks, latency p50/p95, daily uptime, incidents, MTTR
export const GET = route({ permission: "health:read", query }, ({ principal, params, query: q }) =>
  getServiceHealth({ principal, input: { service: params.svc!, ...q } }),
);
