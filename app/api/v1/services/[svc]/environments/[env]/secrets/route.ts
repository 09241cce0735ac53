import { route } from "@/lib/api/route";
import { listSecrets, setSecret, setSecretInput } from "@/lib/server/secrets/secrets";

// GET /api/v1/services/{svc}/environments/{env}/secrets — names, versions, who and when; never values.
export const GET = route({ permission: "config:read" }, async ({ principal, params }) => ({
  items: await listSecrets({ principal, input: { service: params.svc!, env: params.env! } }),
}));

// POST /api/v1/services/{svc}/environments/{env}/secrets — {name, value}: creates or rotates a secret.
export const POST = route({ permission: "secrets:write", body: setSecretInput.omit({ service: true, env: true }), status: 201 }, ({ principal, params, body, meta }) =>
  setSecret({ principal, input: { ...body, service: params.svc!, env: params.env! }, meta }),
);
