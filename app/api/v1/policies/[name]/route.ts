import { route } from "@/lib/api/route";
import { deletePolicy, policyInput, putPolicy } from "@/lib/server/policies/policies";

// PUT /api/v1/policies/{name} — {description, environments, services, severity, rule, baseVersion?}
export const PUT = route({ permission: "settings:manage", body: policyInput.omit({ name: true }) }, ({ principal, params, body, meta }) =>
  putPolicy({ principal, input: { ...body, name: params.name! }, meta }),
);

// DELETE /api/v1/policies/{name}
export const DELETE = route({ permission: "settings:manage" }, ({ principal, params, meta }) => deletePolicy({ principal, input: { name: params.name! }, meta }));
