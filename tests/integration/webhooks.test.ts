import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seedDemo } from "@/lib/db/seed";
import { RETRY_WINDOW_MS } from "@/lib/domain/webhook-retry";
import { getLayer } from "@/lib/server/configs/get-layer";
import { saveLayer } from "@/lib/server/configs/save-layer";
import { setSecret } from "@/lib/server/secrets/secrets";
import { createEndpoint } from "@/lib/server/webhooks/create-endpoint";
import { dispatchOutbox } from "@/lib/server/webhooks/dispatch-outbox";
import { listDeliveries } from "@/lib/server/webhooks/list-deliveries";
import { getEndpoint, listEndpoints } from "@/lib/server/webhooks/list-endpoints";
import { redeliver } from "@/lib/server/webhooks/redeliver";
import { sendDueDeliveries } from "@/lib/server/webhooks/send-deliveries";
import { rotateEndpointSecret, updateEndpoint } from "@/lib/server/webhooks/update-endpoint";
import { admin, morgan, olivia } from "../helpers/configs";
import { describeEachDatabase } from "../helpers/db";
import { countRows, expectServiceError, query } from "../helpers/rows";
import { fakeClock, startReceiver, type Received } from "../helpers/webhook-receiver";

const SECRET_VALUE = "pw-webhook-never-leaks-8812";

function stockVerify(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const h = r.headers as Record<string, string>;
  const mac = createHmac("sha256", key).update(`${h["webhook-id"]}.${h["webhook-timestamp"]}.${r.body}`).digest("base64");
  return h["webhook-signature"] === `v1,${mac}`;
}

async function saveOverlay(service: string, env: string, content: string) {
  const layer = await getLayer({ principal: olivia, input: { layer: "overlay", service, env } });
  return saveLayer({ principal: olivia, input: { layer: "overlay", service, env, content, format: "yaml", message: "webhook test", baseRevision: layer.head?.id ?? null } });
}

describeEachDatabase("webhooks", (db) => {
  const ok = { status: 204 } as const;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let reply: (r: Received, n: number) => { status: number; body?: string } = () => ok;

  beforeAll(async () => {
    await seedDemo(db().db);
    receiver = await startReceiver((r, n) => reply(r, n));
  });
  afterAll(async () => receiver.close());

  /** Deliveries are per test: each test registers its own endpoint and drains the outbox first. */
  async function freshEndpoint(input: Partial<Parameters<typeof createEndpoint>[0]["input"]> = {}) {
    await dispatchOutbox();
    await query(db(), "update webhook_endpoints set enabled = false");
    return createEndpoint({ principal: admin, input: { name: "ci", url: receiver.url, eventTypes: ["config.saved", "secret.rotated"], ...input } });
  }

  it("registers an endpoint for admins only, shows the secret once and stores it sealed", async () => {
    const audit = await countRows(db(), "audit_events");
    await expectServiceError(createEndpoint({ principal: olivia, input: { name: "x", url: receiver.url, eventTypes: ["*"] } }), "forbidden", /settings:manage/);
    // Bad input is a zod error, which the route wrapper answers with 422.
    await expect(createEndpoint({ principal: admin, input: { name: "x", url: "ftp://example.com/", eventTypes: ["*"] } })).rejects.toThrow(/only http and https/);
    await expect(createEndpoint({ principal: admin, input: { name: "x", url: receiver.url, eventTypes: ["not a type"] } })).rejects.toThrow(/an event type is like/);
    expect(await countRows(db(), "webhook_endpoints")).toBe(0);
    expect(await countRows(db(), "audit_events")).toBe(audit);

    const { endpoint, secret } = await createEndpoint({ principal: admin, input: { name: "ci", url: receiver.url, eventTypes: ["config.saved"] } });
    expect(secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ name: "ci", enabled: true, status: "new", format: "standard", secretVersion: 1 });
    const [raw] = await query(db(), `select * from webhook_endpoints where id = '${endpoint.id}'`);
    expect(JSON.stringify(raw)).not.toContain(secret.slice(6));
    expect(JSON.stringify(await listEndpoints({ principal: admin, input: undefined }))).not.toContain(secret.slice(6));
    await expectServiceError(listEndpoints({ principal: morgan, input: undefined }), "forbidden");
    await expectServiceError(listDeliveries({ principal: olivia, input: { id: endpoint.id } }), "forbidden");
    const [ev] = await query<{ action: string; after: Record<string, unknown> }>(db(), "select action, after from audit_events order by seq desc limit 1");
    expect(ev!.action).toBe("webhook.created");
    expect(JSON.stringify(ev)).not.toContain(secret.slice(6));
  });

  it("delivers config.saved and secret.rotated, signed so that standardwebhooks and a stock HMAC check verify", async () => {
    const { endpoint, secret } = await freshEndpoint();
    const before = receiver.received.length;
    await saveOverlay("redis", "development", "cache:\n  ttl: 61\n");
    await setSecret({ principal: olivia, input: { service: "redis", env: "development", name: "token", value: SECRET_VALUE } });
    await setSecret({ principal: olivia, input: { service: "redis", env: "development", name: "token", value: SECRET_VALUE + "2" } });

    const outbox = await query<{ type: string; payload: Record<string, unknown> }>(db(), "select type, payload from outbox_events where type in ('config.saved','secret.rotated') order by id desc limit 2");
    expect(outbox[1]).toMatchObject({ type: "config.saved", payload: { service: "redis", environment: "development", layer: "overlay", author: "Olivia" } });
    expect(outbox[0]).toEqual({ type: "secret.rotated", payload: { service: "redis", environment: "development", name: "token", version: 2 } });

    expect(await dispatchOutbox()).toBeGreaterThanOrEqual(2);
    expect(await sendDueDeliveries()).toEqual({ attempted: 2, delivered: 2 });
    const got = receiver.received.slice(before);
    expect(got).toHaveLength(2);
    for (const r of got) {
      expect(r.headers["content-type"]).toBe("application/json");
      expect(stockVerify(secret, r)).toBe(true);
      expect(new Webhook(secret).verify(r.body, r.headers as Record<string, string>)).toEqual(JSON.parse(r.body));
      expect(r.body).not.toContain(SECRET_VALUE);
    }
    const bodies = got.map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> });
    expect(bodies.map((b) => b.type).sort()).toEqual(["config.saved", "secret.rotated"]);
    expect(bodies.find((b) => b.type === "config.saved")!.data).toMatchObject({ service: "redis", environment: "development", layer: "overlay" });

    const log = await listDeliveries({ principal: admin, input: { id: endpoint.id } });
    expect(log.items).toHaveLength(2);
    expect(log.items.every((d) => d.status === "delivered" && d.attemptLog.length === 1 && d.attemptLog[0]!.statusCode === 204)).toBe(true);
    expect((await getEndpoint({ principal: admin, input: { id: endpoint.id } })).status).toBe("healthy");
    // Sent once: another run finds nothing due.
    expect(await sendDueDeliveries()).toEqual({ attempted: 0, delivered: 0 });
  });

  it("retries with exponential backoff on a fake clock, then succeeds", async () => {
    const clock = fakeClock(new Date());
    const { endpoint } = await freshEndpoint();
    let fails = 2;
    reply = () => (fails-- > 0 ? { status: 503, body: "busy, try later" } : ok);
    const opts = { now: clock.now, random: () => 0.5 };
    await saveOverlay("redis", "development", "cache:\n  ttl: 62\n");
    await dispatchOutbox({ now: clock.now });
    const start = clock.now().getTime();

    expect(await sendDueDeliveries(opts)).toEqual({ attempted: 1, delivered: 0 });
    let [d] = (await listDeliveries({ principal: admin, input: { id: endpoint.id } })).items;
    expect(d).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 503, nextAttemptAt: new Date(start + 10_000).toISOString() });
    expect(d!.attemptLog[0]).toMatchObject({ statusCode: 503, responseExcerpt: "busy, try later", error: "the receiver answered 503" });

    clock.advance(9_999);
    expect(await sendDueDeliveries(opts)).toEqual({ attempted: 0, delivered: 0 });
    clock.advance(1);
    expect(await sendDueDeliveries(opts)).toEqual({ attempted: 1, delivered: 0 });
    [d] = (await listDeliveries({ principal: admin, input: { id: endpoint.id } })).items;
    expect(d!.nextAttemptAt).toBe(new Date(start + 10_000 + 40_000).toISOString());
    expect((await getEndpoint({ principal: admin, input: { id: endpoint.id } })).status).toBe("failing");

    clock.advance(39_999);
    expect(await sendDueDeliveries(opts)).toEqual({ attempted: 0, delivered: 0 });
    clock.advance(1);
    expect(await sendDueDeliveries(opts)).toEqual({ attempted: 1, delivered: 1 });
    [d] = (await listDeliveries({ principal: admin, input: { id: endpoint.id } })).items;
    expect(d).toMatchObject({ status: "delivered", attempts: 3, nextAttemptAt: null });
    expect(d!.attemptLog.map((a) => a.statusCode)).toEqual([503, 503, 204]);
    // All three attempts carried the same webhook-id and body.
    const last3 = receiver.received.slice(-3);
    expect(new Set(last3.map((r) => r.headers["webhook-id"])).size).toBe(1);
    expect(new Set(last3.map((r) => r.body)).size).toBe(1);
    expect((await getEndpoint({ principal: admin, input: { id: endpoint.id } })).status).toBe("healthy");
    reply = () => ok;
  });

  it("gives up after 24 h, disables an endpoint failing that long and flags it; redeliver sends the same message again", async () => {
    const clock = fakeClock(new Date());
    const { endpoint } = await freshEndpoint();
    reply = () => ({ status: 500, body: "boom" });
    await saveOverlay("redis", "development", "cache:\n  ttl: 63\n");
    await dispatchOutbox({ now: clock.now });
    const start = clock.now().getTime();
    const opts = { now: clock.now, random: () => 0.5 };
    let attempts = 0;
    for (let i = 0; i < 20; i++) {
      attempts += (await sendDueDeliveries(opts)).attempted;
      const [d] = (await listDeliveries({ principal: admin, input: { id: endpoint.id } })).items;
      if (d!.status !== "pending") break;
      clock.set(new Date(d!.nextAttemptAt!));
    }
    expect(attempts).toBe(11); // the first attempt and 10 retries
    const [dead] = (await listDeliveries({ principal: admin, input: { id: endpoint.id } })).items;
    expect(dead).toMatchObject({ status: "dead", attempts: 11 });
    expect(new Date(dead!.attemptLog.at(-1)!.startedAt).getTime() - start).toBe(RETRY_WINDOW_MS);

    const flagged = await getEndpoint({ principal: admin, input: { id: endpoint.id } });
    expect(flagged).toMatchObject({ enabled: false, status: "disabled" });
    expect(flagged.disabledReason).toMatch(/24 hours without a success/);
    const [ev] = await query<{ action: string; actor_kind: string }>(db(), "select action, actor_kind from audit_events order by seq desc limit 1");
    expect(ev).toEqual({ action: "webhook.disabled", actor_kind: "system" });

    // Disabled: new events are not queued for it, and redelivery is refused until it is enabled.
    const deliveries = await countRows(db(), "webhook_deliveries", `endpoint_id = '${endpoint.id}'`);
    await saveOverlay("redis", "development", "cache:\n  ttl: 64\n");
    await dispatchOutbox({ now: clock.now });
    expect(await countRows(db(), "webhook_deliveries", `endpoint_id = '${endpoint.id}'`)).toBe(deliveries);
    await expectServiceError(redeliver({ principal: admin, input: { id: endpoint.id, deliveryId: dead!.id } }), "conflict", /disabled/);

    reply = () => ok;
    const back = await updateEndpoint({ principal: admin, input: { id: endpoint.id, changes: { enabled: true } } });
    expect(back).toMatchObject({ enabled: true, disabledReason: null, failingSince: null, consecutiveDead: 0 });
    await expectServiceError(redeliver({ principal: olivia, input: { id: endpoint.id, deliveryId: dead!.id } }), "forbidden");
    const again = await redeliver({ principal: admin, input: { id: endpoint.id, deliveryId: dead!.id } });
    expect(again.messageId).toBe(dead!.messageId);
    const before = receiver.received.length;
    expect(await sendDueDeliveries({ now: clock.now })).toEqual({ attempted: 1, delivered: 1 });
    expect(receiver.received[before]!.headers["webhook-id"]).toBe(dead!.messageId);
    const log = (await listDeliveries({ principal: admin, input: { id: endpoint.id } })).items;
    expect(log[0]).toMatchObject({ status: "delivered", redeliveryOf: dead!.id, requestedBy: "Admin" });
  });

  it("sends a Slack-compatible {text} body to a slack endpoint, and rotates the secret", async () => {
    const { endpoint, secret } = await freshEndpoint({ format: "slack", eventTypes: ["config.*"], environments: ["staging"] });
    const before = receiver.received.length;
    await saveOverlay("redis", "development", "cache:\n  ttl: 65\n"); // other environment: filtered out
    await saveOverlay("redis", "staging", "cache:\n  ttl: 66\n");
    await dispatchOutbox();
    await sendDueDeliveries();
    const got = receiver.received.slice(before);
    expect(got).toHaveLength(1);
    const body = JSON.parse(got[0]!.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(["text"]);
    expect(body.text).toMatch(/^:pencil2: Olivia saved the config \*redis\* in \*staging\* \(r\d+\)/);

    const rotated = await rotateEndpointSecret({ principal: admin, input: { id: endpoint.id } });
    expect(rotated.secret).not.toBe(secret);
    expect(rotated.endpoint.secretVersion).toBe(2);
    await saveOverlay("redis", "staging", "cache:\n  ttl: 67\n");
    await dispatchOutbox();
    await sendDueDeliveries();
    const r = receiver.received.at(-1)!;
    expect(stockVerify(rotated.secret, r)).toBe(true);
    expect(stockVerify(secret, r)).toBe(false);
  });
});
