/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the secret is `whsec_` + base64 of
 * the key bytes; each message carries webhook-id, webhook-timestamp (Unix seconds) and
 * webhook-signature `v1,<base64 HMAC-SHA256 of "${id}.${timestamp}.${body}">`, so any Standard
 * Webhooks library verifies it.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const WEBHOOK_SECRET_PREFIX = "whsec_";
const KEY_BYTES = 32;

/** A fresh signing secret: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(KEY_BYTES).toString("base64");
}

export function isWebhookSecret(secret: string): boolean {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) return false;
  const body = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  return /^[A-Za-z0-9+/]+={0,2}$/.test(body) && Buffer.from(body, "base64").length >= 24;
}

function keyOf(secret: string): Buffer {
  if (!isWebhookSecret(secret)) throw new Error("a webhook secret is whsec_ followed by base64 of at least 24 bytes");
  return Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), "base64");
}

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** The signature of one message: `v1,` + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)). */
export function signWebhook(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const mac = createHmac("sha256", keyOf(secret)).update(`${messageId}.${timestampSeconds}.${body}`, "utf8").digest("base64");
  return `v1,${mac}`;
}

/** The three headers a receiver verifies, for a message sent at `now`. */
export function webhookHeaders(secret: string, messageId: string, now: Date, body: string): SignedHeaders {
  const ts = Math.floor(now.getTime() / 1000);
  return { "webhook-id": messageId, "webhook-timestamp": String(ts), "webhook-signature": signWebhook(secret, messageId, ts, body) };
}

/**
 * Verifies like a receiver does: one of the space-separated `v1,` signatures must match, and the
 * timestamp must be within `toleranceSeconds` of `now` (replay protection).
 */
export function verifyWebhook(secret: string, headers: SignedHeaders, body: string, now: Date, toleranceSeconds = 300): boolean {
  const ts = Number(headers["webhook-timestamp"]);
  if (!Number.isInteger(ts) || Math.abs(now.getTime() / 1000 - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, headers["webhook-id"], ts, body));
  return headers["webhook-signature"].split(" ").some((sig) => {
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
