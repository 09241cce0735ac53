import "server-only";
import { asc, gt, max } from "drizzle-orm";
import { outboxEvents } from "@/drizzle/schema";
import { can, type Permission, type Principal } from "@/lib/auth/permissions";
import { authorize, reader } from "../context";
import type { DbOrTx } from "@/lib/db/client";
import { getEventHub, toEvent, type EventHub } from "./event-hub";
import { sseComment, sseControl, sseEvent, sseRetry } from "./sse";
import { visibleTo, type OutboxEvent } from "./visibility";

export interface EventStreamOptions {
  principal: Principal;
  /** Replay what came after this outbox id (EventSource's Last-Event-ID); null: live from now on. */
  lastEventId: number | null;
  /** Ends the stream (the client went away). */
  signal?: AbortSignal;
  /** Asked at every heartbeat; false ends the stream (a revoked or expired token). */
  stillAllowed?: () => Promise<boolean>;
  heartbeatMs?: number;
  /**
   * The stream ends after this long (default 10 min); EventSource reconnects by itself with
   * Last-Event-ID, so nothing is lost, and the caller is authenticated again (an expired session or
   * a changed role takes effect).
   */
  maxAgeMs?: number;
  /** At most this many outbox rows are read back on reconnect; beyond, the client is told to resync. */
  replayLimit?: number;
  hub?: EventHub;
  tx?: DbOrTx;
}

const READS: Permission[] = ["config:read", "changes:read", "drift:read", "health:read"];
const encoder = new TextEncoder();
// A client that reads nothing for this long a queue is dropped; it reconnects with Last-Event-ID.
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/**
 * The server-sent event stream of changes the principal may see. It subscribes to the process's
 * hub before replaying, so nothing falls between replay and live; ids already sent are skipped.
 */
export async function openEventStream(opts: EventStreamOptions): Promise<ReadableStream<Uint8Array>> {
  // Some read permission is needed at all; each event is then checked against its own area.
  if (!READS.some((p) => can(opts.principal, p))) authorize(opts.principal, "config:read");
  const hub = opts.hub ?? (await getEventHub());
  const db = await reader(opts.tx);
  const replayLimit = opts.replayLimit ?? 1000;
  const sent = new Set<number>();
  let replaying = true;
  const held: OutboxEvent[] = [];
  let unsubscribe: () => void = () => {};
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let maxAge: ReturnType<typeof setTimeout> | undefined;
  let done = false;

  return new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        const write = (text: string) => {
          if (done) return;
          if ((controller.desiredSize ?? 0) < -MAX_QUEUED_BYTES) return finish();
          controller.enqueue(encoder.encode(text));
        };
        const deliver = (e: OutboxEvent) => {
          if (sent.has(e.id) || !visibleTo(opts.principal, e)) return;
          sent.add(e.id);
          write(sseEvent(e));
        };
        const finish = () => {
          if (done) return;
          done = true;
          unsubscribe();
          clearInterval(heartbeat);
          clearTimeout(maxAge);
          opts.signal?.removeEventListener("abort", finish);
          try {
            controller.close();
          } catch {
            // already closed or errored by the consumer
          }
        };
        if (opts.signal?.aborted) return finish();
        opts.signal?.addEventListener("abort", finish);

        unsubscribe = await hub.subscribe((e) => (replaying ? held.push(e) : deliver(e)));
        write(sseRetry(3000));
        let position = hub.head;
        if (opts.lastEventId !== null) {
          const rows = await db
            .select({ id: outboxEvents.id, type: outboxEvents.type, payload: outboxEvents.payload, createdAt: outboxEvents.createdAt })
            .from(outboxEvents)
            .where(gt(outboxEvents.id, opts.lastEventId))
            .orderBy(asc(outboxEvents.id))
            .limit(replayLimit + 1);
          if (rows.length > replayLimit) {
            // More was missed than a replay carries: the client refetches what it shows instead,
            // and its Last-Event-ID moves to the newest row, so it never asks for this again.
            const [newest] = await db.select({ id: max(outboxEvents.id) }).from(outboxEvents);
            position = Math.max(position, Number(newest?.id ?? 0));
            for (const e of held) if (e.id <= position) sent.add(e.id);
            write(sseControl("stream.resync", position, { reason: `more than ${replayLimit} changes were missed` }));
          } else {
            for (const r of rows) deliver(toEvent(r));
            if (rows.length > 0) position = Math.max(position, rows[rows.length - 1]!.id);
          }
        }
        replaying = false;
        for (const e of held.splice(0)) deliver(e);
        // Says the stream is live; carries no id, so it never moves the client's Last-Event-ID.
        write(sseControl("stream.ready", null, { position }));

        heartbeat = setInterval(() => {
          void (async () => {
            if (opts.stillAllowed && !(await opts.stillAllowed().catch(() => false))) return finish();
            write(sseComment(`heartbeat ${new Date().toISOString()}`));
          })();
        }, opts.heartbeatMs ?? 20_000);
        heartbeat.unref?.();
        maxAge = setTimeout(finish, opts.maxAgeMs ?? 10 * 60_000);
        maxAge.unref?.();
      },
      cancel() {
        done = true;
        unsubscribe();
        clearInterval(heartbeat);
        clearTimeout(maxAge);
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}
