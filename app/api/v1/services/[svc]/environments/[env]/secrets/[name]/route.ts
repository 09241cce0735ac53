import { route } from "@/lib/api/route";
import { deleteSecret } from "@/lib/server/secrets/secrets";

// DELETE /api/v1/services/{svc}/environments/{env}/secrets/{name} — unless a config still refers to it.
export const DELETE = route({ permission: "secrets:write" }, ({ principal, params, meta }) =>
  deleteSecret({ principal, input: { service: params.svc!, env: params.env!, name: params.name! }, meta }),
);
