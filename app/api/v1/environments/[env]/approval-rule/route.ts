import { route } from "@/lib/api/route";
import { updateApprovalRule, updateApprovalRuleInput } from "@/lib/server/promotions/update-approval-rule";

// PUT /api/v1/environments/{env}/approval-rule — {requiredApprovals, approverRoles, allowBypass, protected?}
export const PUT = route({ permission: "settings:manage", body: updateApprovalRuleInput.omit({ env: true }).strict() }, ({ principal, params, body, meta }) =>
  updateApprovalRule({ principal, input: { ...body, env: params.env! }, meta }),
);
