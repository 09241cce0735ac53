import { route } from "@/lib/api/route";
import { rotateEndpointSecret } from "@/lib/server/webhooks/update-endpoint";

// POST /api/v1/webhooks/{id}/rotate-secret — a new signing secret, shown in this answer only.
export const POST = route({ permission: "settings:manage" }, ({ principal, params, meta }) => rotateEndpointSecret({ principal, input: { id: params.id! }, meta }));
