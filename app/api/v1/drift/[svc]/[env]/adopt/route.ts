import { route } from "@/lib/api/route";
import { adoptObserved, adoptObservedInput } from "@/lib/server/drift/adopt-observed";

// POST /api/v1/drift/{svc}/{env}/adopt — {message?}: the SSOT takes the observed values (a change request when protected).
export const POST = route({ permission: "drift:remediate", body: adoptObservedInput.omit({ service: true, env: true }) }, ({ principal, params, body, meta }) =>
  adoptObserved({ principal, input: { ...body, service: params.svc!, env: params.env! }, meta }),
);
