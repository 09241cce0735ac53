import { route } from "@/lib/api/route";
import { driftBoardInput, getDriftBoard } from "@/lib/server/drift/get-drift-board";

// GET /api/v1/drift?status=&q=&cursor=&limit= — the drift board: services × environments with each pair's status.
export const GET = route({ permission: "drift:read", query: driftBoardInput }, ({ principal, query }) => getDriftBoard({ principal, input: query }));
