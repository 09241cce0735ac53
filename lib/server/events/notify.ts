import "server-only";
import { EventEmitter } from "node:events";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/lib/db/client";
import { afterCommit } from "../context";

/** Channels Nexus instances listen on; a NOTIFY sent inside a transaction is delivered on commit. */
export const CHANNELS = {
  configChanged: "nexus_config_changed",
  tokensChanged: "nexus_tokens_changed",
  /** Every committed outbox row, by id (a trigger sends it, migration 0006): live updates. */
  events: "nexus_events",
} as const;

export interface ConfigChange {
  /** null: every service (the shared template, variables). */
  service: string | null;
  /** null: every environment of the service (its base layer). */
  env: string | null;
}

// The same changes, told in-process right after commit. On globalThis: the custom server and
// Next's route bundles are separate module instances, and a save made through a route must reach
// the custom server's caches.
const g = globalThis as unknown as { __nexusLocalEvents?: EventEmitter };
const local = g.__nexusLocalEvents ?? (g.__nexusLocalEvents = new EventEmitter().setMaxListeners(100));

export async function notifyConfigChanged(tx: DbOrTx, change: ConfigChange): Promise<void> {
  await tx.execute(sql`select pg_notify(${CHANNELS.configChanged}, ${JSON.stringify(change)})`);
  afterCommit(tx, () => local.emit(CHANNELS.configChanged, change));
}

export async function notifyTokensChanged(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`select pg_notify(${CHANNELS.tokensChanged}, '')`);
  afterCommit(tx, () => local.emit(CHANNELS.tokensChanged));
}

/** Listens to this process's own committed changes; returns the way to stop. */
export function onLocalConfigChange(listener: (change: ConfigChange) => void): () => void {
  local.on(CHANNELS.configChanged, listener);
  return () => void local.off(CHANNELS.configChanged, listener);
}

export function onLocalTokensChange(listener: () => void): () => void {
  local.on(CHANNELS.tokensChanged, listener);
  return () => void local.off(CHANNELS.tokensChanged, listener);
}
