import { route } from "@/lib/api/route";
import { acknowledgeDrift } from "@/lib/server/drift/acknowledge-drift";

// POST /api/v1/drift/{svc}/{env}/acknowledge — accepts the current drift (it stops blocking promotions).
export const POST = route({ permission: "drift:remediate" }, ({ principal, params, meta }) => acknowledgeDrift({ principal, input: { service: params.svc!, env: params.env! }, meta }));
