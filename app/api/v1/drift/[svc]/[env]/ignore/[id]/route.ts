import { route } from "@/lib/api/route";
import { removeIgnoreRule } from "@/lib/server/drift/ignore-drift-path";

// DELETE /api/v1/drift/{svc}/{env}/ignore/{id} — removes an ignore rule.
export const DELETE = route({ permission: "drift:remediate" }, ({ principal, params, meta }) =>
  removeIgnoreRule({ principal, input: { service: params.svc!, env: params.env!, id: params.id! }, meta }),
);
