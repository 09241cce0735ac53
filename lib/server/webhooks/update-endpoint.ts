import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { webhookEndpoints } from "@/drizzle/schema";
import { generateWebhookSecret } from "@/lib/domain/webhook-signature";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { invalid } from "../errors";
import { sealEndpointSecret } from "./endpoint-secret";
import { auditPicture, findEndpoint, toEndpointView } from "./endpoint-view";
import { updateEndpointInput, type EndpointView, type UpdateEndpointInput } from "./schemas";

const idInput = z.object({ id: z.string().min(1).max(64) });

/** Changes an endpoint's configuration; `enabled: true` also forgets the failures that disabled it. */
export async function updateEndpoint({ principal, input, meta, tx }: UseCaseArgs<{ id: string; changes: UpdateEndpointInput }>): Promise<EndpointView> {
  authorize(principal, "settings:manage");
  const { id } = idInput.parse(input);
  const changes = updateEndpointInput.parse(input.changes);
  if (Object.keys(changes).length === 0) throw invalid("nothing to change: send at least one field");
  return withTransaction(tx, async (t) => {
    const before = await findEndpoint(t, id, true);
    const reenabled = changes.enabled === true && !before.enabled;
    const set = {
      ...changes,
      updatedAt: new Date(),
      ...(reenabled ? { disabledReason: null, disabledAt: null, failingSince: null, consecutiveDead: 0 } : {}),
      ...(changes.enabled === false && before.enabled ? { disabledReason: null, disabledAt: new Date() } : {}),
    };
    const [row] = await t.update(webhookEndpoints).set(set).where(eq(webhookEndpoints.id, id)).returning();
    const action = changes.enabled === false && before.enabled ? "webhook.disabled" : reenabled ? "webhook.enabled" : "webhook.updated";
    await recordAuditEvent(t, principal, { action, targetType: "webhook", targetId: id, before: auditPicture(before), after: auditPicture(row!) }, meta);
    return toEndpointView(row!);
  });
}

/** Replaces the signing secret: receivers need the new one, shown in this answer only. */
export async function rotateEndpointSecret({ principal, input, meta, tx }: UseCaseArgs<{ id: string }>): Promise<{ endpoint: EndpointView; secret: string }> {
  authorize(principal, "settings:manage");
  const { id } = idInput.parse(input);
  const secret = generateWebhookSecret();
  return withTransaction(tx, async (t) => {
    const before = await findEndpoint(t, id, true);
    const version = before.secretVersion + 1;
    const [row] = await t
      .update(webhookEndpoints)
      .set({ secretCiphertext: sealEndpointSecret(id, version, secret), secretVersion: version, updatedAt: new Date() })
      .where(eq(webhookEndpoints.id, id))
      .returning();
    await recordAuditEvent(t, principal, { action: "webhook.secret_rotated", targetType: "webhook", targetId: id, before: { secretVersion: before.secretVersion }, after: { name: row!.name, secretVersion: version } }, meta);
    return { endpoint: toEndpointView(row!), secret };
  });
}

/** Removes an endpoint with its delivery log; events not yet sent to it are dropped. */
export async function deleteEndpoint({ principal, input, meta, tx }: UseCaseArgs<{ id: string }>): Promise<{ id: string; deleted: true }> {
  authorize(principal, "settings:manage");
  const { id } = idInput.parse(input);
  return withTransaction(tx, async (t) => {
    const before = await findEndpoint(t, id, true);
    await t.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id));
    await recordAuditEvent(t, principal, { action: "webhook.deleted", targetType: "webhook", targetId: id, before: auditPicture(before), after: null }, meta);
    return { id, deleted: true as const };
  });
}
