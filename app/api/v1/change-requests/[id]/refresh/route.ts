import { route } from "@/lib/api/route";
import { refreshChangeRequest } from "@/lib/server/promotions/manage-change-request";

// POST /api/v1/change-requests/{id}/refresh
export const POST = route({ permission: "changes:read" }, ({ principal, params, meta }) => refreshChangeRequest({ principal, input: { id: params.id! }, meta }));
