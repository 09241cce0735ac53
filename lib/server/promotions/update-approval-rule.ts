import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { environments } from "@/drizzle/schema";
import { ROLES } from "@/lib/auth/permissions";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { resourceName } from "../tokens/token-schemas";
import { findEnvironment } from "../configs/lookup";

export const updateApprovalRuleInput = z.object({
  env: resourceName,
  requiredApprovals: z.number().int().min(0).max(10),
  approverRoles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
  allowBypass: z.boolean(),
  protected: z.boolean().optional(),
  /** Verified promotion: minutes the source must have run the revisions in sync and healthy (0: off). */
  soakMinutes: z.number().int().min(0).max(10_080).optional(),
});

/** The approval rule of an environment: how many approvals, by whom, and whether emergency bypass exists. */
export async function updateApprovalRule({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof updateApprovalRuleInput>>) {
  const q = updateApprovalRuleInput.parse(input);
  authorize(principal, "settings:manage");
  return withTransaction(tx, async (t) => {
    const env = await findEnvironment(t, q.env);
    const before = { requiredApprovals: env.requiredApprovals, approverRoles: env.approverRoles, allowBypass: env.allowBypass, protected: env.protected, soakMinutes: env.soakMinutes };
    const after = { requiredApprovals: q.requiredApprovals, approverRoles: q.approverRoles, allowBypass: q.allowBypass, protected: q.protected ?? env.protected, soakMinutes: q.soakMinutes ?? env.soakMinutes };
    await t.update(environments).set(after).where(eq(environments.id, env.id));
    await recordAuditEvent(t, principal, { action: "environment.approval_rule_changed", targetType: "environment", targetId: env.id, environment: env.name, before, after }, meta);
    return { env: env.name, ...after };
  });
}
