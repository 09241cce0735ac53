import "server-only";
import { z } from "zod";
import { healthChecks } from "@/drizzle/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { findEnvironment, findService } from "../configs/lookup";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { invalid, ServiceError } from "../errors";
import { createCheckInput } from "./check-schemas";
import { auditSettings, checkView } from "./view";

/** Adds a health check to a service in an environment; it runs for the first time right away. */
export async function createCheck({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof createCheckInput>>) {
  const q = createCheckInput.parse(input);
  authorize(principal, "health:manage", { service: q.service, environment: q.env });
  if (q.check.headerName && q.check.headerValue == null) {
    throw invalid("The check is invalid.", [{ path: "check.headerValue", message: "give the header a value" }]);
  }
  return withTransaction(tx, async (t) => {
    const service = await findService(t, q.service);
    const env = await findEnvironment(t, q.env);
    const values = { ...q.check, jsonPath: q.check.jsonPath ?? null, jsonExpected: q.check.jsonExpected ?? null, headerName: q.check.headerName ?? null, headerValue: q.check.headerName ? (q.check.headerValue ?? null) : null, degradedMs: q.check.degradedMs ?? null };
    const [row] = await t
      .insert(healthChecks)
      .values({ ...values, serviceId: service.id, environmentId: env.id, createdBy: principal.name })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ServiceError("conflict", `${q.service} already has a check named "${q.check.name}" in ${q.env}; pick another name.`);
    await recordAuditEvent(t, principal, { action: "health_check.created", targetType: "health_check", targetId: row.id, service: service.name, environment: env.name, before: null, after: auditSettings(row) }, meta);
    return checkView(row, service.name, env.name);
  });
}
