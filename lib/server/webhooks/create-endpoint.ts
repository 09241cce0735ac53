import "server-only";
import { randomUUID } from "node:crypto";
import { webhookEndpoints } from "@/drizzle/schema";
import { generateWebhookSecret } from "@/lib/domain/webhook-signature";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { sealEndpointSecret } from "./endpoint-secret";
import { auditPicture, toEndpointView } from "./endpoint-view";
import { createEndpointInput, type CreateEndpointInput, type EndpointView } from "./schemas";

/** Registers an endpoint. Its signing secret is in this answer and, readable, nowhere else. */
export async function createEndpoint({ principal, input, meta, tx }: UseCaseArgs<CreateEndpointInput>): Promise<{ endpoint: EndpointView; secret: string }> {
  authorize(principal, "settings:manage");
  const data = createEndpointInput.parse(input);
  const id = randomUUID();
  const secret = generateWebhookSecret();
  return withTransaction(tx, async (t) => {
    const [row] = await t
      .insert(webhookEndpoints)
      .values({ id, ...data, secretCiphertext: sealEndpointSecret(id, 1, secret), secretVersion: 1, createdBy: principal.name })
      .returning();
    await recordAuditEvent(t, principal, { action: "webhook.created", targetType: "webhook", targetId: id, before: null, after: auditPicture(row!) }, meta);
    return { endpoint: toEndpointView(row!), secret };
  });
}
