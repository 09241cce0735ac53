import { z } from "zod";
import { route } from "@/lib/api/route";
import { commentOnChangeRequest } from "@/lib/server/promotions/manage-change-request";

// POST /api/v1/change-requests/{id}/comments — {body}
export const POST = route({ permission: "changes:read", body: z.object({ body: z.string() }).strict(), status: 201 }, ({ principal, params, body, meta }) =>
  commentOnChangeRequest({ principal, input: { id: params.id!, body: body.body }, meta }),
);
