import { route } from "@/lib/api/route";
import { listVariables } from "@/lib/server/configs/variables";

// GET /api/v1/environments/{env}/variables — the variables configs refer to as ${var:NAME}.
export const GET = route({ permission: "config:read" }, async ({ principal, params }) => ({
  items: await listVariables({ principal, input: { env: params.env! } }),
}));
