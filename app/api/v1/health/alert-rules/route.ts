import { route } from "@/lib/api/route";
import { alertRuleInput, createAlertRule, listAlertRules } from "@/lib/server/health/alert-rules";

// GET /api/v1/health/alert-rules — which health events of which environment become alerts
export const GET = route({ permission: "health:read" }, ({ principal }) => listAlertRules({ principal, input: undefined }));

// POST /api/v1/health/alert-rules — {env|null, onStatusChange, onIncident, suppressMinutes}
export const POST = route({ permission: "health:manage", status: 201, body: alertRuleInput }, ({ principal, body, meta }) =>
  createAlertRule({ principal, input: body, meta }),
);
