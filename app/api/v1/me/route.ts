import { route } from "@/lib/api/route";
import { permissionsOf, primaryRole } from "@/lib/auth/permissions";

// GET /api/v1/me — who the caller is and what they may do.
export const GET = route({ permission: "config:read" }, async ({ principal }) => ({
  id: principal.id,
  kind: principal.kind,
  name: principal.name,
  role: primaryRole(principal),
  roles: principal.roles,
  permissions: permissionsOf(principal),
}));
