import "server-only";
import type { DatabaseHandle } from "@/lib/db/client";
import { log } from "@/lib/log";
import { CHANNELS, onLocalConfigChange, onLocalTokensChange, type ConfigChange } from "../events/notify";

export type ChangeSource = "local" | "notify" | "resync";

export interface ChangeHandlers {
  /** Drop what `change` reaches; null: everything (a notice may have been missed). */
  config(change: ConfigChange | null, source: ChangeSource): void;
  tokens(): void;
  /** False while this process cannot be sure to hear every change. */
  listening(ok: boolean): void;
}

export interface FeedOptions {
  /** This process's own commits, told right after commit (default on). */
  local?: boolean;
  /** LISTEN on the database: every instance's commits (default on). */
  notify?: boolean;
  /** PostgreSQL only: how often to prove the LISTEN connection still hears (default 15 s). */
  heartbeatMs?: number;
}

const HEARTBEAT = JSON.stringify({ heartbeat: true });

/** What a NOTIFY payload says changed; anything unreadable counts as "everything". */
export function parseChange(payload: string): ConfigChange | "heartbeat" | null {
  try {
    const v = JSON.parse(payload) as Record<string, unknown>;
    if (v.heartbeat === true) return "heartbeat";
    const service = v.service ?? null;
    const env = v.env ?? null;
    if ((service === null || typeof service === "string") && (env === null || typeof env === "string")) {
      return { service, env };
    }
  } catch {
    // fall through
  }
  return null;
}

/**
 * Subscribes once to config and token changes: in-process after commit, and through
 * LISTEN/NOTIFY from every instance. On PostgreSQL a heartbeat NOTIFY proves the LISTEN
 * connection alive; postgres.js re-listens after a reconnect (and then everything is dropped, as
 * notices may have been missed), but gives up silently if that fails, which the heartbeat catches.
 */
export async function subscribeToChanges(handle: DatabaseHandle, on: ChangeHandlers, opts: FeedOptions = {}) {
  const stops: (() => Promise<void> | void)[] = [];
  const onPayload = (payload: string) => {
    const change = parseChange(payload);
    if (change === "heartbeat") lastBeat = Date.now();
    else on.config(change, "notify");
  };
  let lastBeat = Date.now();

  if (opts.local !== false) {
    stops.push(onLocalConfigChange((c) => on.config(c, "local")));
    stops.push(onLocalTokensChange(() => on.tokens()));
  }
  if (opts.notify !== false && handle.pglite) {
    stops.push(await handle.pglite.listen(CHANNELS.configChanged, onPayload));
    stops.push(await handle.pglite.listen(CHANNELS.tokensChanged, () => on.tokens()));
  }
  if (opts.notify !== false && handle.sql) {
    const sql = handle.sql;
    let first = true;
    const relistened = () => {
      lastBeat = Date.now();
      if (first) return;
      on.config(null, "resync");
      on.tokens();
      on.listening(true);
    };
    const listen = async () => {
      const a = await sql.listen(CHANNELS.configChanged, onPayload, relistened);
      const b = await sql.listen(CHANNELS.tokensChanged, () => on.tokens(), relistened);
      return async () => void (await Promise.allSettled([a.unlisten(), b.unlisten()]));
    };
    let unlisten = await listen();
    first = false;
    let deaf = false;
    const every = opts.heartbeatMs ?? 15_000;
    const timer = setInterval(() => {
      void (async () => {
        if (Date.now() - lastBeat > 3 * every) {
          if (!deaf) log.warn("delivery cache: LISTEN connection silent; serving uncached until it is back");
          deaf = true;
          on.listening(false);
          await unlisten().catch(() => {});
          unlisten = await listen();
          lastBeat = Date.now();
          deaf = false;
          on.config(null, "resync");
          on.tokens();
          on.listening(true);
          return;
        }
        await sql`select pg_notify(${CHANNELS.configChanged}, ${HEARTBEAT})`;
      })().catch((err: unknown) => log.warn({ err }, "delivery cache: heartbeat failed"));
    }, every);
    timer.unref();
    stops.push(() => clearInterval(timer));
    stops.push(() => unlisten());
  }
  return {
    async close() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}
