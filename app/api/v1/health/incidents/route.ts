import { route } from "@/lib/api/route";
import { listIncidents, listIncidentsInput } from "@/lib/server/health/list-incidents";

// GET /api/v1/health/incidents?service=&env=&state=open|all&limit=&cursor= — newest first, with duration
export const GET = route({ permission: "health:read", query: listIncidentsInput }, ({ principal, query }) => listIncidents({ principal, input: query }));
