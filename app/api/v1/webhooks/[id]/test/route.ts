import { route } from "@/lib/api/route";
import { sendTestEvent } from "@/lib/server/webhooks/redeliver";

// POST /api/v1/webhooks/{id}/test — queues a webhook.test message to the endpoint.
export const POST = route({ permission: "settings:manage", status: 202 }, ({ principal, params, meta }) => sendTestEvent({ principal, input: { id: params.id! }, meta }));
