import "server-only";
import { and, eq, inArray, ne, or, isNull } from "drizzle-orm";
import { changeRequestItems, changeRequests } from "@/drizzle/schema";
import { SYSTEM, type RequestMeta } from "../context";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Transaction } from "@/lib/db/client";

const OPEN = ["draft", "in_review", "approved"] as const;

/**
 * A save moved a layer's head: every open request that proposes a change to that layer from an
 * older head is now outdated (its diff and approvals no longer describe what apply would do).
 */
export async function outdateRequestsFor(t: Transaction, layerId: string, newHeadId: string, exceptRequestId: string | null, meta?: RequestMeta) {
  const rows = await t
    .selectDistinct({ id: changeRequests.id, number: changeRequests.number })
    .from(changeRequests)
    .innerJoin(changeRequestItems, eq(changeRequestItems.changeRequestId, changeRequests.id))
    .where(
      and(
        inArray(changeRequests.state, [...OPEN]),
        eq(changeRequestItems.layerId, layerId),
        or(isNull(changeRequestItems.baseRevisionId), ne(changeRequestItems.baseRevisionId, newHeadId)),
        exceptRequestId ? ne(changeRequests.id, exceptRequestId) : undefined,
      ),
    );
  for (const r of rows) {
    await t.update(changeRequests).set({ state: "outdated", updatedAt: new Date() }).where(eq(changeRequests.id, r.id));
    await recordAuditEvent(t, SYSTEM, {
      action: "change_request.outdated",
      targetType: "change_request",
      targetId: r.id,
      after: { number: r.number, state: "outdated", reason: "the target layer changed" },
    }, meta);
  }
}
