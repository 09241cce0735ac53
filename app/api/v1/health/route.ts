import { route } from "@/lib/api/route";
import { getHealthBoard } from "@/lib/server/health/get-health-board";

// GET /api/v1/health — the health board: services × environments, current status and 24 h uptime
export const GET = route({ permission: "health:read" }, ({ principal }) => getHealthBoard({ principal, input: undefined }));
