import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/lib/db/client";

/** Channels Nexus instances listen on; a NOTIFY sent inside a transaction is delivered on commit. */
export const CHANNELS = {
  configChanged: "nexus_config_changed",
  tokensChanged: "nexus_tokens_changed",
} as const;

export interface ConfigChange {
  /** null: every service (the shared template, variables). */
  service: string | null;
  /** null: every environment of the service (its base layer). */
  env: string | null;
}

export async function notifyConfigChanged(tx: DbOrTx, change: ConfigChange): Promise<void> {
  await tx.execute(sql`select pg_notify(${CHANNELS.configChanged}, ${JSON.stringify(change)})`);
}

export async function notifyTokensChanged(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`select pg_notify(${CHANNELS.tokensChanged}, '')`);
}
