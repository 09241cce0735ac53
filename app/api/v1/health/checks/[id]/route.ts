import { route } from "@/lib/api/route";
import { checkSettings } from "@/lib/server/health/check-schemas";
import { deleteCheck } from "@/lib/server/health/delete-check";
import { getCheck } from "@/lib/server/health/list-checks";
import { updateCheck } from "@/lib/server/health/update-check";

// GET /api/v1/health/checks/{id} — one check with its current status
export const GET = route({ permission: "health:read" }, ({ principal, params }) => getCheck({ principal, input: { id: params.id! } }));

// PUT /api/v1/health/checks/{id} — replaces the check's settings (a left-out headerValue keeps the stored one)
export const PUT = route({ permission: "health:manage", body: checkSettings }, ({ principal, params, body, meta }) =>
  updateCheck({ principal, input: { id: params.id!, check: body }, meta }),
);

// DELETE /api/v1/health/checks/{id} — removes the check with its results and incidents
export const DELETE = route({ permission: "health:manage" }, ({ principal, params, meta }) => deleteCheck({ principal, input: { id: params.id! }, meta }));
