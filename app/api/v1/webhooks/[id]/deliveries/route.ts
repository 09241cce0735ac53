import { z } from "zod";
import { route } from "@/lib/api/route";
import { listDeliveries } from "@/lib/server/webhooks/list-deliveries";

const query = z.object({ status: z.enum(["pending", "delivered", "dead"]).optional(), cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(100).optional() });

// GET /api/v1/webhooks/{id}/deliveries — the delivery log, newest first, with every attempt; ?status&cursor&limit.
export const GET = route({ permission: "settings:manage", query }, ({ principal, params, query: q }) => listDeliveries({ principal, input: { id: params.id!, ...q } }));
