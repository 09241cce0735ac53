import { route } from "@/lib/api/route";
import { revealSecret } from "@/lib/server/secrets/secrets";

// POST /api/v1/services/{svc}/environments/{env}/secrets/{name}/reveal — the value; audited.
export const POST = route({ permission: "secrets:read" }, ({ principal, params, meta }) =>
  revealSecret({ principal, input: { service: params.svc!, env: params.env!, name: params.name! }, meta }),
);
