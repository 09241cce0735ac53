import { route } from "@/lib/api/route";
import { listChangeRequests, listChangeRequestsInput } from "@/lib/server/promotions/list-change-requests";
import { openChangeRequest, openChangeRequestInput } from "@/lib/server/promotions/open-change-request";

// GET /api/v1/change-requests — ?filter=open|awaiting-me|mine|applied|all&cursor
export const GET = route({ permission: "changes:read", query: listChangeRequestsInput }, ({ principal, query }) =>
  listChangeRequests({ principal, input: query }),
);

// POST /api/v1/change-requests — {kind:"promotion", services, from, to} or {kind:"edit", service, env, content, format}
export const POST = route({ permission: "changes:create", body: openChangeRequestInput, status: 201 }, ({ principal, body, meta }) =>
  openChangeRequest({ principal, input: body, meta }),
);
