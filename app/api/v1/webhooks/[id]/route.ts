import { route } from "@/lib/api/route";
import { getEndpoint } from "@/lib/server/webhooks/list-endpoints";
import { updateEndpointInput } from "@/lib/server/webhooks/schemas";
import { deleteEndpoint, updateEndpoint } from "@/lib/server/webhooks/update-endpoint";

// GET /api/v1/webhooks/{id} — one endpoint.
export const GET = route({ permission: "settings:manage" }, ({ principal, params }) => getEndpoint({ principal, input: { id: params.id! } }));

// PATCH /api/v1/webhooks/{id} — changes its URL, events, format, filters, or switches it on or off.
export const PATCH = route({ permission: "settings:manage", body: updateEndpointInput }, ({ principal, params, body, meta }) =>
  updateEndpoint({ principal, input: { id: params.id!, changes: body }, meta }),
);

// DELETE /api/v1/webhooks/{id} — removes the endpoint and its delivery log.
export const DELETE = route({ permission: "settings:manage" }, ({ principal, params, meta }) => deleteEndpoint({ principal, input: { id: params.id! }, meta }));
