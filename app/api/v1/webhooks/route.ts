import { route } from "@/lib/api/route";
import { createEndpoint } from "@/lib/server/webhooks/create-endpoint";
import { listEndpoints } from "@/lib/server/webhooks/list-endpoints";
import { createEndpointInput } from "@/lib/server/webhooks/schemas";

// GET /api/v1/webhooks — every webhook endpoint with its health (never a secret).
export const GET = route({ permission: "settings:manage" }, async ({ principal }) => ({
  items: await listEndpoints({ principal, input: undefined }),
}));

// POST /api/v1/webhooks — registers an endpoint; the answer holds its signing secret, shown this once.
export const POST = route(
  { permission: "settings:manage", body: createEndpointInput, status: 201 },
  ({ principal, body, meta }) => createEndpoint({ principal, input: body, meta }),
);
