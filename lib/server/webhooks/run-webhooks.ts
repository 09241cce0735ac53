import "server-only";
import { and, isNotNull, lt, sql } from "drizzle-orm";
import { outboxEvents, webhookDeliveries } from "@/drizzle/schema";
import { getDb } from "@/lib/db/client";
import { dispatchOutbox } from "./dispatch-outbox";
import { sendDueDeliveries } from "./send-deliveries";

/** Job: fan new outbox events out to endpoints, then send what is due. */
export async function runWebhooks(): Promise<void> {
  await dispatchOutbox();
  await sendDueDeliveries();
}

/** Outbox rows are kept 7 days (live-update reconnects and webhooks read them); delivery logs 30. */
export const OUTBOX_KEEP_MS = 7 * 86_400_000;
export const DELIVERY_LOG_KEEP_MS = 30 * 86_400_000;

/** Job: drops dispatched outbox rows older than 7 days and finished deliveries older than 30. */
export async function pruneWebhookData(now = new Date()): Promise<{ outbox: number; deliveries: number }> {
  const db = await getDb();
  const outbox = await db
    .delete(outboxEvents)
    .where(and(isNotNull(outboxEvents.deliveredAt), lt(outboxEvents.createdAt, new Date(now.getTime() - OUTBOX_KEEP_MS))))
    .returning({ id: outboxEvents.id });
  const deliveries = await db
    .delete(webhookDeliveries)
    .where(and(sql`${webhookDeliveries.status} <> 'pending'`, lt(webhookDeliveries.createdAt, new Date(now.getTime() - DELIVERY_LOG_KEEP_MS))))
    .returning({ id: webhookDeliveries.id });
  return { outbox: outbox.length, deliveries: deliveries.length };
}
