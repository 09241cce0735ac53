import "server-only";
import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { healthChecks } from "@/drizzle/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { ServiceError } from "../errors";
import { updateCheckInput } from "./check-schemas";
import { loadCheck } from "./load-check";
import { auditSettings, checkView } from "./view";

/**
 * Changes a check's settings. A header value left out keeps the stored one (the console never
 * receives it back). Changing what is probed resets the status and runs the check right away.
 */
export async function updateCheck({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof updateCheckInput>>) {
  const q = updateCheckInput.parse(input);
  return withTransaction(tx, async (t) => {
    const { check: before, service, environment } = await loadCheck(t, q.id, true);
    authorize(principal, "health:manage", { service, environment });
    const c = q.check;
    const [clash] = await t
      .select({ id: healthChecks.id })
      .from(healthChecks)
      .where(and(eq(healthChecks.serviceId, before.serviceId), eq(healthChecks.environmentId, before.environmentId), eq(healthChecks.name, c.name), ne(healthChecks.id, before.id)));
    if (clash) throw new ServiceError("conflict", `${service} already has a check named "${c.name}" in ${environment}; pick another name.`);
    const headerValue = !c.headerName ? null : c.headerValue !== undefined ? c.headerValue : before.headerValue;
    const probeChanged = c.kind !== before.kind || c.target !== before.target || c.method !== before.method;
    const [row] = await t
      .update(healthChecks)
      .set({
        ...c,
        jsonPath: c.jsonPath ?? null,
        jsonExpected: c.jsonExpected ?? null,
        headerName: c.headerName ?? null,
        headerValue,
        degradedMs: c.degradedMs ?? null,
        updatedAt: new Date(),
        ...(probeChanged ? { status: "unknown" as const, statusSince: new Date(), consecutiveFailures: 0, nextRunAt: new Date() } : {}),
        ...(c.enabled && !before.enabled ? { nextRunAt: new Date() } : {}),
      })
      .where(eq(healthChecks.id, before.id))
      .returning();
    await recordAuditEvent(t, principal, { action: "health_check.updated", targetType: "health_check", targetId: before.id, service, environment, before: auditSettings(before), after: auditSettings(row!) }, meta);
    return checkView(row!, service, environment);
  });
}
