import { z } from "zod";
import { checkWebhookUrl, EVENT_PATTERN } from "@/lib/domain/webhook-events";
import { resourceName } from "../tokens/token-schemas";

const url = z
  .string()
  .trim()
  .max(2000)
  .superRefine((v, ctx) => {
    const problem = checkWebhookUrl(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const eventTypes = z
  .array(z.string().regex(EVENT_PATTERN, "an event type is like config.saved, a family like drift.*, or * for every event"))
  .min(1, "choose at least one event type")
  .max(50);

export const WEBHOOK_FORMATS = ["standard", "slack"] as const;

export const createEndpointInput = z
  .object({
    name: z.string().trim().min(1, "give the endpoint a name").max(100),
    url,
    description: z.string().trim().max(500).default(""),
    eventTypes,
    services: z.array(resourceName).max(1000).nullable().default(null),
    environments: z.array(resourceName).max(100).nullable().default(null),
    format: z.enum(WEBHOOK_FORMATS).default("standard"),
  })
  .strict();
export type CreateEndpointInput = z.input<typeof createEndpointInput>;

export const updateEndpointInput = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    url: url.optional(),
    description: z.string().trim().max(500).optional(),
    eventTypes: eventTypes.optional(),
    services: z.array(resourceName).max(1000).nullable().optional(),
    environments: z.array(resourceName).max(100).nullable().optional(),
    format: z.enum(WEBHOOK_FORMATS).optional(),
    /** Switching an endpoint back on also clears the failure record that disabled it. */
    enabled: z.boolean().optional(),
  })
  .strict();
export type UpdateEndpointInput = z.input<typeof updateEndpointInput>;

/** What the API says about an endpoint: never its secret. */
export const endpointView = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()),
  services: z.array(z.string()).nullable(),
  environments: z.array(z.string()).nullable(),
  format: z.enum(WEBHOOK_FORMATS),
  enabled: z.boolean(),
  status: z.enum(["healthy", "failing", "disabled", "new"]),
  disabledReason: z.string().nullable(),
  disabledAt: z.string().nullable(),
  failingSince: z.string().nullable(),
  consecutiveDead: z.number(),
  lastSuccessAt: z.string().nullable(),
  lastFailureAt: z.string().nullable(),
  secretVersion: z.number(),
  pending: z.number(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EndpointView = z.infer<typeof endpointView>;

export const attemptView = z.object({
  attempt: z.number(),
  startedAt: z.string(),
  durationMs: z.number(),
  statusCode: z.number().nullable(),
  responseExcerpt: z.string().nullable(),
  error: z.string().nullable(),
});

export const deliveryView = z.object({
  id: z.string(),
  messageId: z.string(),
  eventType: z.string(),
  status: z.enum(["pending", "delivered", "dead"]),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().nullable(),
  lastError: z.string().nullable(),
  redeliveryOf: z.string().nullable(),
  requestedBy: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  body: z.string(),
  attemptLog: z.array(attemptView),
});
export type DeliveryView = z.infer<typeof deliveryView>;
