import { route } from "@/lib/api/route";
import { createCheckInput } from "@/lib/server/health/check-schemas";
import { createCheck } from "@/lib/server/health/create-check";
import { listChecks, listChecksInput } from "@/lib/server/health/list-checks";

// GET /api/v1/health/checks?service=&env= — the checks the caller may read
export const GET = route({ permission: "health:read", query: listChecksInput }, ({ principal, query }) => listChecks({ principal, input: query }));

// POST /api/v1/health/checks — {service, env, check: {name, kind, target, ...}}; 201 with the check
export const POST = route({ permission: "health:manage", status: 201, body: createCheckInput.strict() }, ({ principal, body, meta }) =>
  createCheck({ principal, input: body, meta }),
);
