// A circuit breaker in front of the PostgreSQL pool.
//
// While PostgreSQL is down, every query handed to the driver waits its turn for one of the pool's
// connections, each of which retries its connect with a back-off: requests pile up behind each
// other and answer after seconds (bench/faults.ts measured 10 s and more). Once one query has
// failed with a connection-class error (lib/db/unavailable.ts), the breaker opens: new work is
// refused at once with DatabaseUnavailableError (503 with Retry-After), and the breaker itself
// probes the database with `select 1` until it answers, then closes. Work that already runs inside
// a transaction is not interrupted.
import { isDatabaseUnavailable } from "./unavailable";

export type BreakerState = "closed" | "open";

export interface BreakerEvents {
  opened(cause: unknown): void;
  closed(downForMs: number, refused: number): void;
}

export interface BreakerOptions {
  /** One `select 1` (or anything that proves the database answers). */
  probe: () => Promise<unknown>;
  /** Pause between probes while open. */
  probeEveryMs?: number;
  events?: Partial<BreakerEvents>;
  now?: () => number;
}

/** "The database cannot be reached right now", raised without asking the driver. */
export class DatabaseUnavailableError extends Error {
  readonly code = "DATABASE_UNAVAILABLE";
  constructor(cause: unknown) {
    super(`The database is unavailable (${messageOf(cause)}); waiting for it to answer again.`, { cause });
    this.name = "DatabaseUnavailableError";
  }
}

export class DatabaseBreaker {
  private openedAt: number | null = null;
  private closedTimes = 0;
  /** Since the process started, for metrics: how often it opened, and how much work it refused. */
  totalOpened = 0;
  totalRefused = 0;
  private lastCause: unknown = null;
  private refused = 0;
  private timer: NodeJS.Timeout | null = null;
  private probing = false;
  private stopped = false;
  private readonly probeEveryMs: number;
  private readonly now: () => number;

  constructor(private readonly options: BreakerOptions) {
    this.probeEveryMs = options.probeEveryMs ?? 250;
    this.now = options.now ?? (() => performance.now());
  }

  get state(): BreakerState {
    return this.openedAt === null ? "closed" : "open";
  }

  /**
   * Throws DatabaseUnavailableError while open. While closed, returns a ticket to hand back to
   * `failed`: a query that started before the breaker last closed reports an outage that is over.
   */
  check(): number {
    if (this.openedAt === null) return this.closedTimes;
    this.refused++;
    this.totalRefused++;
    throw new DatabaseUnavailableError(this.lastCause);
  }

  /** Reports a failed query that went to the driver: a connection-class error opens the breaker. */
  failed(err: unknown, ticket: number): void {
    if (this.stopped || ticket !== this.closedTimes || !isDatabaseUnavailable(err) || isRefusal(err)) return;
    this.lastCause = err;
    if (this.openedAt !== null) return;
    this.openedAt = this.now();
    this.refused = 0;
    this.totalOpened++;
    this.options.events?.opened?.(err);
    this.schedule();
  }

  /** Stops probing (the pool is closing). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.stopped || this.timer || this.probing) return;
    this.timer = setTimeout(() => void this.probeOnce(), this.probeEveryMs);
    this.timer.unref();
  }

  private async probeOnce(): Promise<void> {
    this.timer = null;
    if (this.stopped || this.openedAt === null) return;
    this.probing = true;
    try {
      await this.options.probe();
      const downFor = this.now() - this.openedAt;
      const refused = this.refused;
      this.openedAt = null;
      this.lastCause = null;
      this.closedTimes++;
      this.options.events?.closed?.(downFor, refused);
    } catch (err) {
      // A probe that fails for any reason keeps the breaker open; the latest cause is reported.
      this.lastCause = err;
    } finally {
      this.probing = false;
    }
    if (this.openedAt !== null) this.schedule();
  }
}

/**
 * Whether `err` is, or was caused by, a breaker's own refusal (drizzle wraps it as "Failed query").
 * By its code, not its class: Next's route bundles and the custom server load this module apart.
 */
export function isRefusal(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if ((e as { code?: unknown }).code === "DATABASE_UNAVAILABLE") return true;
  }
  return false;
}

function messageOf(e: unknown): string {
  let cause = e;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  const code = (cause as { code?: unknown } | null)?.code;
  const msg = cause instanceof Error ? cause.message : String(cause);
  return (typeof code === "string" && !msg.includes(code) ? `${code}: ${msg}` : msg).slice(0, 200);
}
