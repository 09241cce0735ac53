import { route } from "@/lib/api/route";
import { compareEnvironments, compareEnvironmentsInput } from "@/lib/server/configs/compare-environments";

// GET /api/v1/services/{svc}/compare?from=&to= — resolved diff between two environments, secrets masked.
export const GET = route({ permission: "config:read", query: compareEnvironmentsInput.omit({ service: true }) }, ({ principal, params, query }) =>
  compareEnvironments({ principal, input: { ...query, service: params.svc! } }),
);
