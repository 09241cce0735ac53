import { route } from "@/lib/api/route";
import { listEnvironments } from "@/lib/server/catalog/list-environments";

// GET /api/v1/environments — the pipeline in promotion order, with protection and approvals.
export const GET = route({ permission: "config:read" }, async ({ principal }) => ({
  items: await listEnvironments({ principal, input: undefined }),
}));
