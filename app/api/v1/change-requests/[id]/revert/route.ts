import { route } from "@/lib/api/route";
import { revertChangeRequest } from "@/lib/server/promotions/manage-change-request";

// POST /api/v1/change-requests/{id}/revert
export const POST = route({ permission: "changes:read" }, ({ principal, params, meta }) => revertChangeRequest({ principal, input: { id: params.id! }, meta }));
