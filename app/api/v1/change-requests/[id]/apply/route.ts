import { route } from "@/lib/api/route";
import { applyChangeRequest, applyInput } from "@/lib/server/promotions/apply-change-request";

// POST /api/v1/change-requests/{id}/apply — {bypassReason?}: applies atomically (bypass: admin, where allowed).
export const POST = route({ permission: "changes:read", body: applyInput.omit({ id: true }).strict() }, ({ principal, params, body, meta }) =>
  applyChangeRequest({ principal, input: { ...body, id: params.id! }, meta }),
);
