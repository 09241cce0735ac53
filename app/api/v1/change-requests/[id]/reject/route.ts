import { z } from "zod";
import { route } from "@/lib/api/route";
import { decideChangeRequest } from "@/lib/server/promotions/decide-change-request";

// POST /api/v1/change-requests/{id}/reject — {comment?}
export const POST = route({ permission: "changes:approve", body: z.object({ comment: z.string().max(5000).optional() }).strict() }, ({ principal, params, body, meta }) =>
  decideChangeRequest({ principal, input: { id: params.id!, decision: "reject", comment: body.comment }, meta }),
);
