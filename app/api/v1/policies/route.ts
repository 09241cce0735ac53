import { route } from "@/lib/api/route";
import { listPolicies } from "@/lib/server/policies/policies";

// GET /api/v1/policies — compliance rules with scope, severity and version.
export const GET = route({ permission: "config:read" }, async ({ principal }) => ({ items: await listPolicies({ principal, input: undefined }) }));
