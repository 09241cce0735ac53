import "server-only";
import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/drizzle/schema";
import { nextRetry, shouldDisable } from "@/lib/domain/webhook-retry";
import { webhookHeaders } from "@/lib/domain/webhook-signature";
import { getDb, rowsOf, type DbOrTx } from "@/lib/db/client";
import { log } from "@/lib/log";
import { recordAuditEvent } from "../audit/record-audit-event";
import { SYSTEM } from "../context";
import { openEndpointSecret } from "./endpoint-secret";

export interface SenderOptions {
  db?: DbOrTx;
  /** The clock: tests move it forward instead of waiting. */
  now?: () => Date;
  /** Jitter source, 0 ≤ r < 1. */
  random?: () => number;
  timeoutMs?: number;
  /** How long a claimed delivery is this sender's before another may take it (a crashed sender's lease runs out). */
  leaseMs?: number;
  batch?: number;
  fetch?: typeof fetch;
}

const EXCERPT_BYTES = 2048;
const USER_AGENT = "Nexus-Webhooks/1 (+https://www.standardwebhooks.com)";

interface Claimed {
  id: string;
  endpoint_id: string;
  message_id: string;
  body: string;
  attempts: number;
  created_at: string | Date;
}

/**
 * Sends every due delivery once: claims a batch (FOR UPDATE SKIP LOCKED, then a lease so the HTTP
 * call runs outside any transaction), sends them, records each attempt and decides retry or give up.
 * Returns how many attempts were made.
 */
export async function sendDueDeliveries(opts: SenderOptions = {}): Promise<{ attempted: number; delivered: number }> {
  const db = opts.db ?? (await getDb());
  const now = opts.now ?? (() => new Date());
  const batch = opts.batch ?? 20;
  let attempted = 0;
  let delivered = 0;
  for (;;) {
    const claimed = await claim(db, now(), opts.leaseMs ?? 60_000, batch);
    if (claimed.rows.length === 0) break;
    const endpoints = await db.select().from(webhookEndpoints).where(inArray(webhookEndpoints.id, [...new Set(claimed.rows.map((r) => r.endpoint_id))]));
    const results = await Promise.all(
      claimed.rows.map(async (d) => {
        const ep = endpoints.find((e) => e.id === d.endpoint_id);
        if (!ep) return false;
        const outcome = await attempt(ep, d, now(), opts);
        await record(db, ep.id, d, claimed.token, outcome, now(), opts.random ?? Math.random);
        return outcome.ok;
      }),
    );
    attempted += results.length;
    delivered += results.filter(Boolean).length;
    if (claimed.rows.length < batch) break;
  }
  return { attempted, delivered };
}

async function claim(db: DbOrTx, now: Date, leaseMs: number, batch: number): Promise<{ token: string; rows: Claimed[] }> {
  const token = randomUUID();
  const at = now.toISOString();
  const until = new Date(now.getTime() + leaseMs).toISOString();
  const result = await db.execute(sql`
    update webhook_deliveries d set lease_until = ${until}::timestamptz, lease_token = ${token}::uuid
    where d.id in (
      select d2.id from webhook_deliveries d2 join webhook_endpoints e on e.id = d2.endpoint_id
      where d2.status = 'pending' and e.enabled and d2.next_attempt_at <= ${at}::timestamptz
        and (d2.lease_until is null or d2.lease_until <= ${at}::timestamptz)
      order by d2.next_attempt_at, d2.id
      limit ${batch}
      for update of d2 skip locked)
    returning d.id, d.endpoint_id, d.message_id, d.body, d.attempts, d.created_at`);
  return { token, rows: rowsOf<Claimed>(result) };
}

interface Outcome {
  ok: boolean;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  excerpt: string | null;
  error: string | null;
}

async function attempt(ep: typeof webhookEndpoints.$inferSelect, d: Claimed, startedAt: Date, opts: SenderOptions): Promise<Outcome> {
  const t0 = performance.now();
  const done = (o: Omit<Outcome, "startedAt" | "durationMs">): Outcome => ({ ...o, startedAt, durationMs: Math.round(performance.now() - t0) });
  let secret: string;
  try {
    secret = openEndpointSecret(ep);
  } catch (e) {
    return done({ ok: false, statusCode: null, excerpt: null, error: `the endpoint's secret cannot be opened (${(e as Error).message}); rotate it` });
  }
  try {
    const res = await (opts.fetch ?? fetch)(ep.url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": USER_AGENT, ...webhookHeaders(secret, d.message_id, startedAt, d.body) },
      body: d.body,
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    const excerpt = await readExcerpt(res);
    const ok = res.status >= 200 && res.status < 300;
    return done({ ok, statusCode: res.status, excerpt, error: ok ? null : `the receiver answered ${res.status}${res.status >= 300 && res.status < 400 ? " (redirects are not followed)" : ""}` });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const reason = err.name === "TimeoutError" ? `no answer within ${(opts.timeoutMs ?? 10_000) / 1000} s` : (err.cause?.code ?? err.cause?.message ?? err.message);
    return done({ ok: false, statusCode: null, excerpt: null, error: `could not deliver: ${reason}` });
  }
}

/** The start of the answer, for the delivery log; the rest is not read. */
async function readExcerpt(res: Response): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // A broken body after the status line still tells us the status.
  } finally {
    void reader.cancel().catch(() => {});
  }
  const text = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString("utf8");
  return text.length > 0 ? text : null;
}

/** Writes the attempt, then moves the delivery (only if this sender still holds its lease) and the endpoint's health. */
async function record(db: DbOrTx, endpointId: string, d: Claimed, token: string, o: Outcome, now: Date, random: () => number): Promise<void> {
  const attemptNo = d.attempts + 1;
  await db.transaction(async (t) => {
    await t.insert(webhookAttempts).values({ deliveryId: d.id, attempt: attemptNo, startedAt: o.startedAt, durationMs: o.durationMs, statusCode: o.statusCode, responseExcerpt: o.excerpt, error: o.error });
    const decision = o.ok ? null : nextRetry(attemptNo, new Date(d.created_at), now, random);
    const dead = decision !== null && !decision.retry;
    const [moved] = await t
      .update(webhookDeliveries)
      .set({
        attempts: attemptNo,
        status: o.ok ? "delivered" : dead ? "dead" : "pending",
        nextAttemptAt: decision?.retry ? decision.at : now,
        finishedAt: o.ok || dead ? now : null,
        lastStatusCode: o.statusCode,
        lastError: o.error,
        leaseUntil: null,
        leaseToken: null,
      })
      .where(sql`${webhookDeliveries.id} = ${d.id} and ${webhookDeliveries.leaseToken} = ${token}::uuid`)
      .returning({ id: webhookDeliveries.id });
    if (!moved) {
      // The lease ran out and another sender took the delivery: its outcome is the one that counts.
      log.warn({ delivery: d.id }, "webhook delivery lease expired before the attempt was recorded");
      return;
    }
    const [ep] = await t.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).for("update");
    if (!ep) return;
    if (o.ok) {
      await t.update(webhookEndpoints).set({ lastSuccessAt: now, failingSince: null, consecutiveDead: 0 }).where(eq(webhookEndpoints.id, endpointId));
      return;
    }
    const failingSince = ep.failingSince ?? now;
    const consecutiveDead = ep.consecutiveDead + (dead ? 1 : 0);
    const reason = ep.enabled ? shouldDisable({ failingSince, consecutiveDead }, now) : null;
    await t
      .update(webhookEndpoints)
      .set({ lastFailureAt: now, failingSince, consecutiveDead, ...(reason ? { enabled: false, disabledReason: reason, disabledAt: now } : {}) })
      .where(eq(webhookEndpoints.id, endpointId));
    if (reason) {
      log.warn({ endpoint: ep.name, reason }, "webhook endpoint disabled");
      await recordAuditEvent(t, SYSTEM, { action: "webhook.disabled", targetType: "webhook", targetId: ep.id, before: { enabled: true }, after: { name: ep.name, enabled: false, reason } });
    }
  });
}
