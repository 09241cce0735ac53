import { route } from "@/lib/api/route";
import { createService, createServiceInput } from "@/lib/server/catalog/create-service";
import { listServices, listServicesInput } from "@/lib/server/catalog/list-services";

// GET /api/v1/services — services by name; ?q= searches name, description and owner.
export const GET = route({ permission: "config:read", query: listServicesInput }, ({ principal, query }) =>
  listServices({ principal, input: query }),
);

// POST /api/v1/services — {name, description?, owner?, tags?}: registers a service with empty layers.
export const POST = route(
  { permission: "services:manage", body: createServiceInput, status: 201 },
  ({ principal, body, meta }) => createService({ principal, input: body, meta }),
);
