import "server-only";
import { and, asc, eq, inArray, ne, or, isNull } from "drizzle-orm";
import { changeRequestItems, changeRequests, environments, services } from "@/drizzle/schema";
import { SYSTEM, type RequestMeta } from "../context";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Transaction } from "@/lib/db/client";
import { emitEvent, scopeOf } from "./load";

const OPEN = ["draft", "in_review", "approved"] as const;

/**
 * A save moved a layer's head: every open request that proposes a change to that layer from an
 * older head is now outdated (its diff and approvals no longer describe what apply would do).
 */
export async function outdateRequestsFor(t: Transaction, layerId: string, newHeadId: string, exceptRequestId: string | null, meta?: RequestMeta) {
  const rows = await t
    .selectDistinct({ id: changeRequests.id, number: changeRequests.number, state: changeRequests.state, environment: environments.name })
    .from(changeRequests)
    .innerJoin(changeRequestItems, eq(changeRequestItems.changeRequestId, changeRequests.id))
    .innerJoin(environments, eq(environments.id, changeRequests.targetEnvironmentId))
    .where(
      and(
        inArray(changeRequests.state, [...OPEN]),
        eq(changeRequestItems.layerId, layerId),
        or(isNull(changeRequestItems.baseRevisionId), ne(changeRequestItems.baseRevisionId, newHeadId)),
        exceptRequestId ? ne(changeRequests.id, exceptRequestId) : undefined,
      ),
    );
  for (const r of rows) {
    const items = await t
      .select({ serviceName: services.name })
      .from(changeRequestItems)
      .innerJoin(services, eq(services.id, changeRequestItems.serviceId))
      .where(eq(changeRequestItems.changeRequestId, r.id))
      .orderBy(asc(services.name));
    const scope = scopeOf({ items, target: { name: r.environment } });
    const reason = "the target layer changed";
    await t.update(changeRequests).set({ state: "outdated", updatedAt: new Date() }).where(eq(changeRequests.id, r.id));
    await recordAuditEvent(t, SYSTEM, {
      action: "change_request.outdated",
      targetType: "change_request",
      targetId: r.id,
      service: scope.service,
      environment: scope.environment,
      before: { number: r.number, state: r.state },
      after: { number: r.number, state: "outdated", reason },
    }, meta);
    await emitEvent(t, "change_request.outdated", { id: r.id, number: r.number, state: "outdated", previous: r.state, reason, by: SYSTEM.name, ...scope });
  }
}
