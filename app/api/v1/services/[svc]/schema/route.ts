import { route } from "@/lib/api/route";
import { getSchema, putSchema, putSchemaInput } from "@/lib/server/configs/put-schema";

// GET /api/v1/services/{svc}/schema — the service's current JSON Schema and its version.
export const GET = route({ permission: "config:read" }, ({ principal, params }) => getSchema({ principal, input: { service: params.svc! } }));

// PUT /api/v1/services/{svc}/schema — {schema, message, baseVersion}: a new schema version.
export const PUT = route({ permission: "settings:manage", body: putSchemaInput.omit({ service: true }) }, ({ principal, params, body, meta }) =>
  putSchema({ principal, input: { ...body, service: params.svc! }, meta }),
);
