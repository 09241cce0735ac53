import { route } from "@/lib/api/route";
import { getChangeRequest } from "@/lib/server/promotions/get-change-request";

// GET /api/v1/change-requests/{id|number} — diff in the target, checks, approvals, comments, allowed actions.
export const GET = route({ permission: "changes:read" }, ({ principal, params }) => getChangeRequest({ principal, input: { id: params.id! } }));
