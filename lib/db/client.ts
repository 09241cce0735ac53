import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "@/drizzle/schema";
import { dataDir } from "@/lib/config/settings";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type DbOrTx = Database | Transaction;

export interface DatabaseHandle {
  kind: "pglite" | "postgres";
  db: Database;
  /** LISTEN/NOTIFY and raw access for the few places that need the driver itself. */
  pglite?: PGlite;
  sql?: postgres.Sql;
  close(): Promise<void>;
}

export type DatabaseTarget = { kind: "pglite"; dir: string | null } | { kind: "postgres"; url: string };

export function targetFromEnv(): DatabaseTarget {
  const url = process.env.DATABASE_URL;
  return url ? { kind: "postgres", url } : { kind: "pglite", dir: path.join(dataDir(), "pgdata") };
}

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === "postgres") {
    const client = postgres(target.url, {
      max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
      // Short: while PostgreSQL restarts, a request should fail fast with 503 rather than hang.
      connect_timeout: Number(process.env.DATABASE_CONNECT_TIMEOUT ?? 2),
      idle_timeout: 60,
      onnotice: () => {},
    });
    const db = drizzlePostgres({ client, schema }) as unknown as Database;
    return { kind: "postgres", db, sql: client, close: () => client.end({ timeout: 5 }) };
  }
  // PGlite does not create parent folders, and a data directory can be opened by one process only.
  if (target.dir) mkdirSync(target.dir, { recursive: true });
  const client = target.dir ? await PGlite.create(target.dir) : await PGlite.create();
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  return { kind: "pglite", db, pglite: client, close: () => client.close() };
}

// One database per process, kept on globalThis: the custom server and Next's route bundles are
// separate module instances that must share it (PGlite can open its directory only once).
const state = globalThis as unknown as { __nexusDb?: Promise<DatabaseHandle> };

export function getDatabaseHandle(): Promise<DatabaseHandle> {
  if (!state.__nexusDb) {
    const opening = openDatabase(targetFromEnv());
    state.__nexusDb = opening;
    // Never keep a failed start: the next caller tries again.
    opening.catch(() => {
      if (state.__nexusDb === opening) state.__nexusDb = undefined;
    });
  }
  return state.__nexusDb;
}

export async function getDb(): Promise<Database> {
  return (await getDatabaseHandle()).db;
}

/** Installs a given database as the process's own (tests, CLI). */
export function useDatabase(handle: DatabaseHandle | null): void {
  state.__nexusDb = handle ? Promise.resolve(handle) : undefined;
}

export async function ping(db: Database): Promise<void> {
  await db.execute(sql`select 1`);
}

/** Rows of a raw `db.execute` result: PGlite answers `{ rows }`, postgres.js an array. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
