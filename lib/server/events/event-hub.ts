import "server-only";
import { asc, gt, inArray, or, sql } from "drizzle-orm";
import { outboxEvents } from "@/drizzle/schema";
import { getDatabaseHandle, rowsOf, type DatabaseHandle, type DbOrTx } from "@/lib/db/client";
import { log } from "@/lib/log";
import { CHANNELS } from "./notify";
import type { OutboxEvent } from "./visibility";

type Listener = (event: OutboxEvent) => void;

const READ_BATCH = 500;
const REMEMBERED = 10_000;

type Row = typeof outboxEvents.$inferSelect;
export const toEvent = (r: Pick<Row, "id" | "type" | "payload" | "createdAt">): OutboxEvent => ({
  id: r.id,
  type: r.type,
  payload: (r.payload ?? {}) as Record<string, unknown>,
  createdAt: r.createdAt.toISOString(),
});

/**
 * One per process: LISTENs on `nexus_events` (an AFTER INSERT trigger on outbox_events NOTIFYs the
 * row id on commit, migration 0006), reads the new rows once and fans them out to every open
 * stream. Rows are read by the notified ids and by "id above the highest seen": ids are taken
 * before commit, so a later id can commit first; the notified id still brings the earlier one in.
 * A periodic sweep catches rows whose notice was lost (a dropped LISTEN connection).
 */
export class EventHub {
  private listeners = new Set<Listener>();
  private maxSeen = 0;
  private pending = new Set<number>();
  private delivered = new Set<number>();
  private deliveredOrder: number[] = [];
  private reading: Promise<void> | null = null;
  private again = false;
  private stops: (() => Promise<void> | void)[] = [];
  private started: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly opts: { sweepMs?: number } = {},
  ) {}

  /** Calls `listener` with every committed outbox row from now on; returns the way to stop. */
  async subscribe(listener: Listener): Promise<() => void> {
    await this.start();
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** The highest outbox id this hub has read (where a stream without Last-Event-ID starts). */
  get head(): number {
    return this.maxSeen;
  }

  start(): Promise<void> {
    this.started ??= this.listen().catch((err: unknown) => {
      this.started = null;
      throw err;
    });
    return this.started;
  }

  private async listen(): Promise<void> {
    const db = this.handle.db;
    const [row] = rowsOf<{ max: string | number | null }>(await db.execute(sql`select max(id) as max from outbox_events`));
    this.maxSeen = Number(row?.max ?? 0);
    const onNotice = (payload: string) => {
      const id = Number(payload);
      if (Number.isSafeInteger(id) && id > 0) this.pending.add(id);
      this.poke();
    };
    if (this.handle.pglite) {
      this.stops.push(await this.handle.pglite.listen(CHANNELS.events, onNotice));
    } else if (this.handle.sql) {
      // The third argument runs again after postgres.js re-listens on a new connection: notices
      // sent meanwhile are lost, the sweep reads what came in.
      const l = await this.handle.sql.listen(CHANNELS.events, onNotice, () => this.poke());
      this.stops.push(() => l.unlisten());
    }
    const timer = setInterval(() => this.poke(), this.opts.sweepMs ?? 10_000);
    timer.unref();
    this.stops.push(() => clearInterval(timer));
  }

  /** Reads what is new, one read at a time; a poke during a read makes it run once more. */
  poke(): void {
    if (this.closed) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        await this.readNew(this.handle.db);
      } while (this.again && !this.closed);
    })()
      .catch((err: unknown) => log.warn({ err }, "live events: reading the outbox failed"))
      .finally(() => {
        this.reading = null;
      });
  }

  /** Resolves once every poke so far has been read (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.reading) await this.reading;
  }

  private async readNew(db: DbOrTx): Promise<void> {
    for (;;) {
      const ids = [...this.pending];
      this.pending.clear();
      const where = ids.length > 0 ? or(gt(outboxEvents.id, this.maxSeen), inArray(outboxEvents.id, ids)) : gt(outboxEvents.id, this.maxSeen);
      const rows = await db
        .select({ id: outboxEvents.id, type: outboxEvents.type, payload: outboxEvents.payload, createdAt: outboxEvents.createdAt })
        .from(outboxEvents)
        .where(where)
        .orderBy(asc(outboxEvents.id))
        .limit(READ_BATCH);
      for (const r of rows) {
        if (r.id > this.maxSeen) this.maxSeen = r.id;
        if (this.delivered.has(r.id)) continue;
        this.remember(r.id);
        const event = toEvent(r);
        for (const listener of this.listeners) {
          try {
            listener(event);
          } catch (err) {
            log.warn({ err }, "live events: a listener failed");
          }
        }
      }
      if (rows.length < READ_BATCH) return;
    }
  }

  private remember(id: number): void {
    this.delivered.add(id);
    this.deliveredOrder.push(id);
    if (this.deliveredOrder.length > REMEMBERED) this.delivered.delete(this.deliveredOrder.shift()!);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    for (const stop of this.stops.reverse()) await stop();
    this.stops = [];
    await this.settled();
  }
}

// On globalThis: the custom server and Next's route bundles are separate module instances, and
// one process must LISTEN once. Bound to the database it was made for (tests swap databases).
const g = globalThis as unknown as { __nexusEventHub?: { handle: DatabaseHandle; hub: EventHub } };

export async function getEventHub(): Promise<EventHub> {
  const handle = await getDatabaseHandle();
  const current = g.__nexusEventHub;
  if (current && current.handle === handle) return current.hub;
  if (current) void current.hub.close().catch(() => {});
  const hub = new EventHub(handle);
  g.__nexusEventHub = { handle, hub };
  return hub;
}

/** Stops this process's hub (tests, shutdown). */
export async function closeEventHub(): Promise<void> {
  const current = g.__nexusEventHub;
  g.__nexusEventHub = undefined;
  await current?.hub.close();
}
