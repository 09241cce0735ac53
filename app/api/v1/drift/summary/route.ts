import { route } from "@/lib/api/route";
import { getDriftSummary } from "@/lib/server/drift/get-drift-board";

// GET /api/v1/drift/summary — counts of services by drift status per environment.
export const GET = route({ permission: "drift:read" }, ({ principal }) => getDriftSummary({ principal, input: undefined }));
