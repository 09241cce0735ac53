import { route } from "@/lib/api/route";
import { listAuditEvents, listAuditEventsInput } from "@/lib/server/audit/list-audit-events";

// GET /api/v1/audit — audit events, newest first; ?actor&action&service&env&from&to&cursor&limit
export const GET = route({ permission: "audit:read", query: listAuditEventsInput }, ({ principal, query }) =>
  listAuditEvents({ principal, input: query }),
);
