import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { healthChecks } from "@/drizzle/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { checkIdInput } from "./check-schemas";
import { loadCheck } from "./load-check";
import { auditSettings } from "./view";

/** Removes a check with its results, rollups and incidents. */
export async function deleteCheck({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof checkIdInput>>) {
  const q = checkIdInput.parse(input);
  return withTransaction(tx, async (t) => {
    const { check, service, environment } = await loadCheck(t, q.id, true);
    authorize(principal, "health:manage", { service, environment });
    await t.delete(healthChecks).where(eq(healthChecks.id, check.id));
    await recordAuditEvent(t, principal, { action: "health_check.deleted", targetType: "health_check", targetId: check.id, service, environment, before: auditSettings(check), after: null }, meta);
    return { id: check.id, deleted: true };
  });
}
