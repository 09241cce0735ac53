import "server-only";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { environments, healthAlertRules } from "@/drizzle/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { findEnvironment } from "../configs/lookup";
import { authorize, reader, withTransaction, type UseCaseArgs } from "../context";
import { notFound } from "../errors";
import { resourceName } from "../tokens/token-schemas";

export const alertRuleInput = z
  .object({
    /** null: every environment. */
    env: resourceName.nullable(),
    onStatusChange: z.boolean(),
    onIncident: z.boolean(),
    suppressMinutes: z.number().int().min(0).max(1440).default(10),
  })
  .strict()
  .refine((r) => r.onStatusChange || r.onIncident, { message: "a rule must alert on status changes, incidents or both", path: ["onStatusChange"] });

/** Alert rules: which health events of which environment go to the outbox (and so to webhooks). */
export async function listAlertRules({ principal, tx }: UseCaseArgs<void>) {
  authorize(principal, "health:read");
  const db = await reader(tx);
  const rows = await db
    .select({ rule: healthAlertRules, environment: environments.name })
    .from(healthAlertRules)
    .leftJoin(environments, eq(environments.id, healthAlertRules.environmentId))
    .orderBy(asc(healthAlertRules.createdAt));
  return { items: rows.map(({ rule, environment }) => ({ id: rule.id, environment, onStatusChange: rule.onStatusChange, onIncident: rule.onIncident, suppressMinutes: rule.suppressMinutes, createdBy: rule.createdBy })) };
}

export async function createAlertRule({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof alertRuleInput>>) {
  const q = alertRuleInput.parse(input);
  authorize(principal, "health:manage", { environment: q.env ?? undefined });
  return withTransaction(tx, async (t) => {
    const env = q.env ? await findEnvironment(t, q.env) : null;
    const [row] = await t
      .insert(healthAlertRules)
      .values({ environmentId: env?.id ?? null, onStatusChange: q.onStatusChange, onIncident: q.onIncident, suppressMinutes: q.suppressMinutes, createdBy: principal.name })
      .returning();
    const after = { environment: env?.name ?? null, onStatusChange: q.onStatusChange, onIncident: q.onIncident, suppressMinutes: q.suppressMinutes };
    await recordAuditEvent(t, principal, { action: "health_alert_rule.created", targetType: "health_alert_rule", targetId: row!.id, environment: env?.name ?? null, before: null, after }, meta);
    return { id: row!.id, ...after, createdBy: principal.name };
  });
}

export async function deleteAlertRule({ principal, input, meta, tx }: UseCaseArgs<{ id: string }>) {
  const id = z.uuid().parse(input.id);
  return withTransaction(tx, async (t) => {
    const [row] = await t
      .select({ rule: healthAlertRules, environment: environments.name })
      .from(healthAlertRules)
      .leftJoin(environments, eq(environments.id, healthAlertRules.environmentId))
      .where(eq(healthAlertRules.id, id))
      .for("update", { of: healthAlertRules });
    if (!row) throw notFound(`alert rule ${id}`);
    authorize(principal, "health:manage", { environment: row.environment ?? undefined });
    await t.delete(healthAlertRules).where(eq(healthAlertRules.id, id));
    const before = { environment: row.environment, onStatusChange: row.rule.onStatusChange, onIncident: row.rule.onIncident, suppressMinutes: row.rule.suppressMinutes };
    await recordAuditEvent(t, principal, { action: "health_alert_rule.deleted", targetType: "health_alert_rule", targetId: id, environment: row.environment, before, after: null }, meta);
    return { id, deleted: true };
  });
}
