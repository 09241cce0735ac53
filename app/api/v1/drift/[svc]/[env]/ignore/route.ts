import { route } from "@/lib/api/route";
import { ignoreDriftPath, ignoreDriftPathInput } from "@/lib/server/drift/ignore-drift-path";

// POST /api/v1/drift/{svc}/{env}/ignore — {pattern, reason?, allEnvironments?}: adds an ignore rule.
export const POST = route({ permission: "drift:remediate", body: ignoreDriftPathInput.omit({ service: true, env: true }), status: 201 }, ({ principal, params, body, meta }) =>
  ignoreDriftPath({ principal, input: { ...body, service: params.svc!, env: params.env! }, meta }),
);
