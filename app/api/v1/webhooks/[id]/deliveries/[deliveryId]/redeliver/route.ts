import { route } from "@/lib/api/route";
import { redeliver } from "@/lib/server/webhooks/redeliver";

// POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver — sends that message again (same webhook-id).
export const POST = route({ permission: "settings:manage", status: 202 }, ({ principal, params, meta }) =>
  redeliver({ principal, input: { id: params.id!, deliveryId: params.deliveryId! }, meta }),
);
