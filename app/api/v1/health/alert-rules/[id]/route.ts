import { route } from "@/lib/api/route";
import { deleteAlertRule } from "@/lib/server/health/alert-rules";

// DELETE /api/v1/health/alert-rules/{id}
export const DELETE = route({ permission: "health:manage" }, ({ principal, params, meta }) => deleteAlertRule({ principal, input: { id: params.id! }, meta }));
