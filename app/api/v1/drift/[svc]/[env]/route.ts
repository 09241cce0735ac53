import { route } from "@/lib/api/route";
import { getDriftDetail } from "@/lib/server/drift/get-drift-detail";

// GET /api/v1/drift/{svc}/{env} — expected vs observed per path, history, remediations, allowed actions.
export const GET = route({ permission: "drift:read" }, ({ principal, params }) => getDriftDetail({ principal, input: { service: params.svc!, env: params.env! } }));
