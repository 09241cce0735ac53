import { route } from "@/lib/api/route";
import { listViolations } from "@/lib/server/policies/list-violations";

// GET /api/v1/compliance — every service × environment that currently fails a policy.
export const GET = route({ permission: "config:read" }, ({ principal }) => listViolations({ principal, input: undefined }));
