import { route } from "@/lib/api/route";
import { listServices, listServicesInput } from "@/lib/server/catalog/list-services";

// GET /api/v1/services — services by name; ?q= searches name, description and owner.
export const GET = route({ permission: "config:read", query: listServicesInput }, ({ principal, query }) =>
  listServices({ principal, input: query }),
);
