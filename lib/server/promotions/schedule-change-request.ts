import "server-only";
import { and, asc, eq, lte, sql } from "drizzle-orm";
import { z } from "zod";
import { changeRequests } from "@/drizzle/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { SYSTEM, withTransaction, type UseCaseArgs } from "../context";
import { ServiceError } from "../errors";
import { getDb } from "@/lib/db/client";
import { log } from "@/lib/log";
import { applyChangeRequest } from "./apply-change-request";
import { emitEvent, loadRequest, scopeOf, authorizeOnRequest } from "./load";

export const scheduleInput = z.object({ id: z.string().min(1).max(64), at: z.iso.datetime({ offset: true }).nullable() });

/** Sets (or clears) the time at which the job runner applies an approved request. */
export async function scheduleChangeRequest({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof scheduleInput>>) {
  const q = scheduleInput.parse(input);
  return withTransaction(tx, async (t) => {
    const req = await loadRequest(t, q.id, true);
    authorizeOnRequest(principal, "changes:apply", req);
    if (req.cr.state !== "approved" && req.cr.state !== "in_review") {
      throw new ServiceError("conflict", `Change request #${req.cr.number} is ${req.cr.state.replace("_", " ")}; only an open request can be scheduled.`);
    }
    const at = q.at ? new Date(q.at) : null;
    if (at && at.getTime() < Date.now() - 60_000) throw new ServiceError("invalid", "The scheduled time is in the past.");
    await t.update(changeRequests).set({ scheduledAt: at, updatedAt: new Date() }).where(eq(changeRequests.id, req.cr.id));
    await recordAuditEvent(t, principal, { action: "change_request.scheduled", targetType: "change_request", targetId: req.cr.id, environment: req.target.name, service: scopeOf(req).service, before: { number: req.cr.number, scheduledAt: req.cr.scheduledAt?.toISOString() ?? null }, after: { number: req.cr.number, scheduledAt: at?.toISOString() ?? null } }, meta);
    await emitEvent(t, "change_request.scheduled", { id: req.cr.id, number: req.cr.number, state: req.cr.state, scheduledAt: at?.toISOString() ?? null, by: principal.name, ...scopeOf(req) });
    return { number: req.cr.number, scheduledAt: at?.toISOString() ?? null };
  });
}

/**
 * Job: applies approved requests whose time has come. Each is claimed with FOR UPDATE SKIP LOCKED,
 * so several instances never apply the same request; a failure marks it failed with the reason.
 */
export async function applyDueChangeRequests(now = new Date()): Promise<number> {
  const db = await getDb();
  let applied = 0;
  for (;;) {
    const done = await db.transaction(async (t) => {
      const [due] = await t
        .select({ id: changeRequests.id, number: changeRequests.number })
        .from(changeRequests)
        .where(and(eq(changeRequests.state, "approved"), lte(changeRequests.scheduledAt, now)))
        .orderBy(asc(changeRequests.scheduledAt))
        .limit(1)
        .for("update", { skipLocked: true });
      if (!due) return false;
      try {
        await t.transaction(async (inner) => applyChangeRequest({ principal: { ...SYSTEM, name: "scheduler" }, input: { id: due.id }, tx: inner }));
        applied += 1;
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        log.warn({ changeRequest: due.number, reason }, "scheduled apply failed");
        const req = await loadRequest(t, due.id);
        await t.update(changeRequests).set({ state: "failed", failureReason: reason.slice(0, 2000), updatedAt: sql`now()` }).where(eq(changeRequests.id, due.id));
        await recordAuditEvent(t, SYSTEM, { action: "change_request.failed", targetType: "change_request", targetId: due.id, environment: req.target.name, service: scopeOf(req).service, before: { number: due.number, state: req.cr.state }, after: { number: due.number, state: "failed", reason } });
        await emitEvent(t, "change_request.failed", { id: due.id, number: due.number, state: "failed", previous: req.cr.state, reason, by: "scheduler", ...scopeOf(req) });
      }
      return true;
    });
    if (!done) return applied;
  }
}
