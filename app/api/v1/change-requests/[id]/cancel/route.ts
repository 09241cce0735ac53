import { route } from "@/lib/api/route";
import { cancelChangeRequest } from "@/lib/server/promotions/manage-change-request";

// POST /api/v1/change-requests/{id}/cancel
export const POST = route({ permission: "changes:read" }, ({ principal, params, meta }) => cancelChangeRequest({ principal, input: { id: params.id! }, meta }));
