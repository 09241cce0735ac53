import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { webhookDeliveries } from "@/drizzle/schema";
import { webhookBody } from "@/lib/domain/webhook-events";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { notFound, ServiceError } from "../errors";
import { findEndpoint, type EndpointRow } from "./endpoint-view";

const redeliverInput = z.object({ id: z.string().min(1).max(64), deliveryId: z.string().uuid("a delivery id is a uuid") });

/**
 * Sends a delivery again, as a new delivery with the same webhook-id and body (receivers that
 * de-duplicate by webhook-id see the same message), retried like any other.
 */
export async function redeliver({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof redeliverInput>>) {
  authorize(principal, "settings:manage");
  const q = redeliverInput.parse(input);
  return withTransaction(tx, async (t) => {
    const endpoint = await findEndpoint(t, q.id);
    refuseDisabled(endpoint);
    const [orig] = await t.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.id, q.deliveryId), eq(webhookDeliveries.endpointId, endpoint.id)));
    if (!orig) throw notFound(`delivery ${q.deliveryId} of webhook ${endpoint.name}`);
    const [row] = await t
      .insert(webhookDeliveries)
      .values({ endpointId: endpoint.id, outboxId: orig.outboxId, messageId: orig.messageId, eventType: orig.eventType, body: orig.body, nextAttemptAt: new Date(), redeliveryOf: orig.id, requestedBy: principal.name })
      .returning({ id: webhookDeliveries.id });
    await recordAuditEvent(t, principal, { action: "webhook.redelivered", targetType: "webhook", targetId: endpoint.id, after: { name: endpoint.name, delivery: orig.id, messageId: orig.messageId, eventType: orig.eventType, redelivery: row!.id } }, meta);
    return { id: row!.id, messageId: orig.messageId, status: "pending" as const };
  });
}

/** Queues a `webhook.test` message to the endpoint, so an admin can check the receiver end to end. */
export async function sendTestEvent({ principal, input, meta, tx }: UseCaseArgs<{ id: string }>) {
  authorize(principal, "settings:manage");
  return withTransaction(tx, async (t) => {
    const endpoint = await findEndpoint(t, input.id);
    refuseDisabled(endpoint);
    const now = new Date();
    const payload = { service: null, environment: null, endpoint: endpoint.name, message: `Test message from Nexus, requested by ${principal.name}` };
    const [row] = await t
      .insert(webhookDeliveries)
      .values({ endpointId: endpoint.id, messageId: newMessageId(), eventType: "webhook.test", body: webhookBody(endpoint.format, "webhook.test", payload, now), nextAttemptAt: now, requestedBy: principal.name })
      .returning({ id: webhookDeliveries.id, messageId: webhookDeliveries.messageId });
    await recordAuditEvent(t, principal, { action: "webhook.tested", targetType: "webhook", targetId: endpoint.id, after: { name: endpoint.name, delivery: row!.id } }, meta);
    return { id: row!.id, messageId: row!.messageId, status: "pending" as const };
  });
}

function refuseDisabled(endpoint: EndpointRow) {
  if (!endpoint.enabled) throw new ServiceError("conflict", `Webhook ${endpoint.name} is disabled; enable it first, then send again.`);
}

/** A Standard Webhooks message id: `msg_` and 32 hex digits. */
export function newMessageId(): string {
  return `msg_${randomUUID().replace(/-/g, "")}`;
}
