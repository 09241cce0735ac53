import { route } from "@/lib/api/route";
import { reapplyDesired } from "@/lib/server/drift/reapply-desired";

// POST /api/v1/drift/{svc}/{env}/reapply — calls the deploy hook with the desired config's revision.
export const POST = route({ permission: "drift:remediate" }, ({ principal, params, meta }) => reapplyDesired({ principal, input: { service: params.svc!, env: params.env! }, meta }));
