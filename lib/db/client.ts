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
import { log } from "@/lib/log";
import { DatabaseBreaker } from "./breaker";
import { causeCode } from "./unavailable";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type DbOrTx = Database | Transaction;

export interface DatabaseHandle {
  kind: "pglite" | "postgres";
  db: Database;
  /** LISTEN/NOTIFY and raw access for the few places that need the driver itself. */
  pglite?: PGlite;
  sql?: postgres.Sql;
  /** PostgreSQL only: refuses work at once while the database is known to be down. */
  breaker?: DatabaseBreaker;
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
      // The driver's default waits up to 20 s between a connection's attempts once many have
      // failed (it counts failures across the pool), and queries queue behind those waits; the
      // breaker below keeps attempts few instead, so a short pause is enough.
      backoff: (attempts: number) => Math.min(0.05 * 2 ** attempts, 0.25),
      idle_timeout: 60,
      onnotice: () => {},
    });
    const breaker = new DatabaseBreaker({
      probe: () => client`select 1`,
      events: {
        opened: (err) => log.warn({ err, cause: causeCode(err) }, "database unavailable: answering 503 until it answers again"),
        closed: (downForMs, refused) =>
          log.warn({ downForMs: Math.round(downForMs), refused }, "database answers again"),
      },
    });
    const db = drizzlePostgres({ client: guarded(client, breaker), schema }) as unknown as Database;
    return {
      kind: "postgres",
      db,
      sql: client,
      breaker,
      close: () => {
        breaker.stop();
        return client.end({ timeout: 5 });
      },
    };
  }
  // PGlite does not create parent folders, and a data directory can be opened by one process only.
  if (target.dir) mkdirSync(target.dir, { recursive: true });
  const client = target.dir ? await PGlite.create(target.dir) : await PGlite.create();
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  return { kind: "pglite", db, pglite: client, close: () => client.close() };
}

/**
 * The client drizzle sees: a query or transaction is refused while the breaker is open, and a
 * connection-class failure of either opens it. Queries inside a transaction use the transaction's
 * own connection and are not checked again.
 */
function guarded(client: postgres.Sql, breaker: DatabaseBreaker): postgres.Sql {
  const unsafe = (...args: Parameters<postgres.Sql["unsafe"]>) => {
    const ticket = breaker.check();
    const query = client.unsafe(...args) as unknown as { then: Promise<unknown>["then"] };
    // postgres.js queries are lazy promises that run when first awaited, and drizzle chains
    // `.values()` (which returns the same query) before awaiting: watch the outcome through `then`.
    const then = query.then;
    query.then = function (this: unknown, onFulfilled, onRejected) {
      return then.call(this, onFulfilled, (err: unknown) => {
        breaker.failed(err, ticket);
        if (onRejected) return onRejected(err);
        throw err;
      });
    } as Promise<unknown>["then"];
    return query;
  };
  const begin = (async (...args: Parameters<postgres.Sql["begin"]>) => {
    const ticket = breaker.check();
    try {
      return await (client.begin as (...a: unknown[]) => Promise<unknown>)(...args);
    } catch (err) {
      breaker.failed(err, ticket);
      throw err;
    }
  }) as postgres.Sql["begin"];
  return new Proxy(client, {
    get(target, prop) {
      if (prop === "unsafe") return unsafe;
      if (prop === "begin") return begin;
      return Reflect.get(target, prop, target);
    },
  });
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

/** The process's database if it has been opened (or is opening), without opening it. */
export function openedDatabaseHandle(): Promise<DatabaseHandle> | undefined {
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
