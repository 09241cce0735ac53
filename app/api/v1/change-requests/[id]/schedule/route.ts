import { route } from "@/lib/api/route";
import { scheduleChangeRequest, scheduleInput } from "@/lib/server/promotions/schedule-change-request";

// POST /api/v1/change-requests/{id}/schedule — {at: ISO time | null}: apply automatically once approved and due.
export const POST = route({ permission: "changes:apply", body: scheduleInput.omit({ id: true }).strict() }, ({ principal, params, body, meta }) =>
  scheduleChangeRequest({ principal, input: { ...body, id: params.id! }, meta }),
);
