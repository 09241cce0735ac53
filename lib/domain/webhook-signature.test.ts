import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { generateWebhookSecret, isWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from "./webhook-signature";

const body = JSON.stringify({ type: "config.saved", timestamp: "2026-11-25T10:00:00.000Z", data: { service: "redis", environment: "staging" } });

/** A receiver's check written from the spec with node:crypto alone. */
function stockVerify(secret: string, h: Record<string, string>, payload: string): boolean {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = createHmac("sha256", key).update(`${h["webhook-id"]}.${h["webhook-timestamp"]}.${payload}`).digest("base64");
  return h["webhook-signature"]!.split(" ").includes(`v1,${expected}`);
}

describe("Standard Webhooks signatures", () => {
  it("generates whsec_ secrets of 32 random bytes", () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(isWebhookSecret(a)).toBe(true);
    expect(generateWebhookSecret()).not.toBe(a);
    expect(isWebhookSecret("whsec_short")).toBe(false);
    expect(isWebhookSecret("sk_" + a.slice(6))).toBe(false);
  });

  it("signs so that a stock node:crypto HMAC check and the standardwebhooks library both verify", () => {
    const secret = generateWebhookSecret();
    const now = new Date();
    const h = webhookHeaders(secret, "msg_0123456789abcdef", now, body);
    expect(h["webhook-timestamp"]).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(h["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(stockVerify(secret, { ...h }, body)).toBe(true);
    expect(new Webhook(secret).verify(body, { ...h })).toEqual(JSON.parse(body));
    // The library's own signature of the same message is byte-identical to ours.
    expect(new Webhook(secret).sign(h["webhook-id"], now, body)).toBe(h["webhook-signature"]);
    expect(verifyWebhook(secret, h, body, now)).toBe(true);
  });

  it("fails verification for another body, id, timestamp or secret", () => {
    const secret = generateWebhookSecret();
    const now = new Date();
    const h = webhookHeaders(secret, "msg_1", now, body);
    const lib = new Webhook(secret);
    expect(() => lib.verify(body.replace("redis", "redis2"), { ...h })).toThrow();
    expect(() => lib.verify(body, { ...h, "webhook-id": "msg_2" })).toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...h })).toThrow();
    expect(stockVerify(secret, { ...h, "webhook-timestamp": String(Number(h["webhook-timestamp"]) + 1) }, body)).toBe(false);
    expect(verifyWebhook(secret, h, body + " ", now)).toBe(false);
    // Replay protection: a message older than 5 minutes is refused.
    expect(verifyWebhook(secret, h, body, new Date(now.getTime() + 301_000))).toBe(false);
    expect(verifyWebhook(secret, h, body, new Date(now.getTime() + 299_000))).toBe(true);
  });

  it("matches the signature of a known vector", () => {
    // key bytes 0..31; HMAC computed independently above, pinned here so the format never drifts.
    const secret = "whsec_" + Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString("base64");
    const sig = signWebhook(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}');
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    expect(sig).toBe(`v1,${createHmac("sha256", key).update('msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}').digest("base64")}`);
  });
});
