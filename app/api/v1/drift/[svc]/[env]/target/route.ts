import { route } from "@/lib/api/route";
import { setDriftTarget, setDriftTargetInput } from "@/lib/server/drift/configure-drift";

// PUT /api/v1/drift/{svc}/{env}/target — {pullUrl, pullAuthorization?, pullIntervalSeconds, deployHookUrl}.
export const PUT = route({ permission: "services:manage", body: setDriftTargetInput.omit({ service: true, env: true }) }, ({ principal, params, body, meta }) =>
  setDriftTarget({ principal, input: { ...body, service: params.svc!, env: params.env! }, meta }),
);
