import "server-only";
import { asc, eq, inArray, isNull } from "drizzle-orm";
import { outboxEvents, webhookDeliveries, webhookEndpoints } from "@/drizzle/schema";
import { endpointWants, webhookBody } from "@/lib/domain/webhook-events";
import { getDb, type DbOrTx } from "@/lib/db/client";
import { newMessageId } from "./redeliver";

const BATCH = 500;

/**
 * Fans new outbox events out to per-endpoint delivery rows. Rows are claimed with FOR UPDATE SKIP
 * LOCKED and marked dispatched (delivered_at) in the same transaction that writes the deliveries:
 * a crash before commit leaves them undispatched, after commit every delivery exists, so nothing is
 * lost and nothing is fanned out twice. Outbox rows are never deleted here (live updates read them).
 */
export async function dispatchOutbox(opts: { now?: () => Date; db?: DbOrTx; consoleUrl?: string } = {}): Promise<number> {
  const db = opts.db ?? (await getDb());
  const now = opts.now ?? (() => new Date());
  let total = 0;
  for (;;) {
    const n = await db.transaction(async (t) => {
      const events = await t
        .select()
        .from(outboxEvents)
        .where(isNull(outboxEvents.deliveredAt))
        .orderBy(asc(outboxEvents.id))
        .limit(BATCH)
        .for("update", { skipLocked: true });
      if (events.length === 0) return 0;
      const endpoints = await t.select().from(webhookEndpoints).where(eq(webhookEndpoints.enabled, true));
      const at = now();
      const rows = [];
      for (const e of events) {
        const payload = (e.payload ?? {}) as Record<string, unknown>;
        for (const ep of endpoints) {
          if (!endpointWants(ep, e.type, payload)) continue;
          rows.push({
            endpointId: ep.id,
            outboxId: e.id,
            messageId: newMessageId(),
            eventType: e.type,
            body: webhookBody(ep.format, e.type, payload, e.createdAt, opts.consoleUrl ?? process.env.NEXTAUTH_URL),
            nextAttemptAt: at,
            createdAt: at,
          });
        }
      }
      for (let i = 0; i < rows.length; i += BATCH) {
        await t.insert(webhookDeliveries).values(rows.slice(i, i + BATCH)).onConflictDoNothing();
      }
      await t.update(outboxEvents).set({ deliveredAt: at }).where(inArray(outboxEvents.id, events.map((e) => e.id)));
      return events.length;
    });
    total += n;
    if (n < BATCH) return total;
  }
}
