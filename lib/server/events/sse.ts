import "server-only";
import type { OutboxEvent } from "./visibility";

// The wire format of GET /api/v1/events (https://html.spec.whatwg.org/multipage/server-sent-events.html).
// Every change is an unnamed message (EventSource's `onmessage`), so that a client needs no list of
// event types; the type is in the data. `id:` is the outbox id: EventSource sends it back as
// Last-Event-ID when it reconnects, and the stream replays what came after it.

export interface LiveMessage {
  id: number;
  type: string;
  at: string;
  payload: Record<string, unknown>;
}

/** One change. JSON.stringify never emits a raw newline, so `data:` stays one line. */
export function sseEvent(e: OutboxEvent): string {
  const message: LiveMessage = { id: e.id, type: e.type, at: e.createdAt, payload: e.payload };
  return `id: ${e.id}\ndata: ${JSON.stringify(message)}\n\n`;
}

/**
 * A control message: `stream.resync` tells the client it may have missed changes (replay was cut
 * short) and should refetch what it shows; `id` moves its Last-Event-ID past what was skipped.
 */
export function sseControl(type: "stream.ready" | "stream.resync", id: number | null, payload: Record<string, unknown> = {}): string {
  const message = { id, type, at: new Date().toISOString(), payload };
  return `${id !== null ? `id: ${id}\n` : ""}data: ${JSON.stringify(message)}\n\n`;
}

/** How long EventSource waits before reconnecting, and a first line proxies must not buffer. */
export function sseRetry(ms: number): string {
  return `retry: ${ms}\n\n`;
}

/** A comment line: ignored by EventSource, keeps proxies and load balancers from closing an idle stream. */
export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, " ")}\n\n`;
}

/** The Last-Event-ID a client sent (header, or `?lastEventId=` for clients that cannot set headers). */
export function parseLastEventId(value: string | null | undefined): number | null {
  if (!value || !/^\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}
