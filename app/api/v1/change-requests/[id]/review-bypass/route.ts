import { route } from "@/lib/api/route";
import { reviewBypass } from "@/lib/server/promotions/manage-change-request";

// POST /api/v1/change-requests/{id}/review-bypass
export const POST = route({ permission: "changes:read" }, ({ principal, params, meta }) => reviewBypass({ principal, input: { id: params.id! }, meta }));
