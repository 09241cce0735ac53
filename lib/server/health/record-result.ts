import "server-only";
import { and, eq, isNull, or } from "drizzle-orm";
import { healthAlertRules, healthChecks, healthIncidents, healthResults } from "@/drizzle/schema";
import { alertsFor, applyVerdict, type HealthEvent, type ProbeStatus } from "@/lib/domain/health";
import type { DbOrTx } from "@/lib/db/client";
import { withTransaction } from "../context";
import { ServiceError } from "../errors";
import { emitEvent } from "../promotions/load";
import { loadCheck } from "./load-check";

export interface ResultInput {
  checkId: string;
  checkedAt: Date;
  status: ProbeStatus;
  latencyMs: number;
  statusCode: number | null;
  error: string | null;
}

/**
 * Records one probe result and moves the check on: status, consecutive failures, incidents, and
 * alerts into the outbox (health.status_changed, health.incident_opened, health.incident_closed)
 * as the environment's alert rules ask, flap-suppressed. One transaction; the check row is locked.
 */
export async function recordResult(db: DbOrTx, r: ResultInput): Promise<HealthEvent[]> {
  return withTransaction(db, async (t) => {
    const found = await loadCheck(t, r.checkId, true).catch((err: unknown) => {
      if (err instanceof ServiceError && err.code === "not_found") return null;
      throw err;
    });
    if (!found) return []; // deleted while its probe ran
    const { check, service, environment } = found;
    await t.insert(healthResults).values({ checkId: check.id, checkedAt: r.checkedAt, status: r.status, latencyMs: r.latencyMs, statusCode: r.statusCode, error: r.error?.slice(0, 1000) ?? null });
    const [open] = await t.select().from(healthIncidents).where(and(eq(healthIncidents.checkId, check.id), isNull(healthIncidents.closedAt)));
    const prev = { status: check.status, statusSince: check.statusSince, consecutiveFailures: check.consecutiveFailures, incidentOpen: !!open, lastAlertAt: check.lastAlertAt };
    const { state, events } = applyVerdict(prev, r.status, check.failureThreshold, r.checkedAt);

    let incidentId = open?.id ?? null;
    for (const ev of events) {
      if (ev.type === "incident_opened") {
        const [row] = await t
          .insert(healthIncidents)
          .values({ checkId: check.id, serviceId: check.serviceId, environmentId: check.environmentId, openedAt: r.checkedAt, failures: ev.failures, lastError: r.error })
          .returning({ id: healthIncidents.id });
        incidentId = row!.id;
      } else if (ev.type === "incident_closed" && open) {
        await t.update(healthIncidents).set({ closedAt: r.checkedAt }).where(eq(healthIncidents.id, open.id));
      }
    }
    if (open && r.status === "down") {
      await t.update(healthIncidents).set({ failures: state.consecutiveFailures, lastError: r.error }).where(eq(healthIncidents.id, open.id));
    }

    let lastAlertAt = check.lastAlertAt;
    if (events.length > 0) {
      const rules = await t
        .select()
        .from(healthAlertRules)
        .where(or(isNull(healthAlertRules.environmentId), eq(healthAlertRules.environmentId, check.environmentId)));
      const out = alertsFor(events, rules, check.lastAlertAt, r.checkedAt);
      lastAlertAt = out.lastAlertAt;
      const base = { service, environment, check: check.name, checkId: check.id };
      for (const ev of out.alerts) {
        if (ev.type === "status_changed") {
          await emitEvent(t, "health.status_changed", { ...base, status: ev.status, previous: ev.previous, latencyMs: r.latencyMs, error: r.error, at: r.checkedAt.toISOString() });
        } else if (ev.type === "incident_opened") {
          await emitEvent(t, "health.incident_opened", { ...base, incidentId, failures: ev.failures, error: r.error, openedAt: r.checkedAt.toISOString() });
        } else {
          const ms = open ? r.checkedAt.getTime() - open.openedAt.getTime() : null;
          await emitEvent(t, "health.incident_closed", { ...base, incidentId, openedAt: open?.openedAt.toISOString() ?? null, closedAt: r.checkedAt.toISOString(), durationMs: ms });
        }
      }
    }

    await t
      .update(healthChecks)
      .set({
        status: state.status,
        statusSince: state.statusSince,
        consecutiveFailures: state.consecutiveFailures,
        lastCheckedAt: r.checkedAt,
        lastLatencyMs: r.latencyMs,
        lastError: r.error?.slice(0, 1000) ?? null,
        lastAlertAt,
        leaseUntil: null,
      })
      .where(eq(healthChecks.id, check.id));
    return events;
  });
}
