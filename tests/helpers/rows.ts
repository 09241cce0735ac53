import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { Principal } from "@/lib/auth/permissions";
import { rowsOf, type DatabaseHandle, type DbOrTx } from "@/lib/db/client";
import { ServiceError, type ServiceErrorCode } from "@/lib/server/errors";

/** Something to run SQL on: a database handle, or `{ db: tx }` inside a transaction. */
export type Queryable = { db: DbOrTx };

/** Raw rows of a SQL text, straight from the database (no use case in between). */
export async function query<T = Record<string, unknown>>(handle: Queryable, text: string): Promise<T[]> {
  return rowsOf<T>(await handle.db.execute(sql.raw(text)));
}

export async function countRows(handle: Queryable, table: string, where = "true"): Promise<number> {
  const [row] = await query<{ n: number }>(handle, `select count(*)::int as n from ${table} where ${where}`);
  return Number(row!.n);
}

/** Row counts of the tables the token and audit use cases write. */
export async function snapshot(handle: Queryable) {
  return {
    tokens: await countRows(handle, "api_tokens"),
    revoked: await countRows(handle, "api_tokens", "revoked_at is not null"),
    audit: await countRows(handle, "audit_events"),
  };
}

/**
 * As the database owner, runs statements with the audit table's user triggers switched off, in one
 * transaction (one connection, and the trigger is back on even if a statement fails).
 */
export async function bypassingAuditTrigger(handle: DatabaseHandle, statements: string[]): Promise<void> {
  await handle.db.transaction(async (t) => {
    await t.execute(sql.raw("alter table audit_events disable trigger user"));
    for (const s of statements) await t.execute(sql.raw(s));
    await t.execute(sql.raw("alter table audit_events enable trigger user"));
  });
}

/** Adds a constraint that makes the audit insert of one action fail, for the length of `work`. */
export async function withFailingAudit(handle: Queryable, action: string, work: () => Promise<void>): Promise<void> {
  await query(handle, `alter table audit_events add constraint test_fail_audit check (action <> '${action}') not valid`);
  try {
    await work();
  } finally {
    await query(handle, "alter table audit_events drop constraint test_fail_audit");
  }
}

/** The database's own error under drizzle's wrapper: message and SQLSTATE. */
export function databaseError(e: unknown): { message: string; code: string | undefined } {
  let cur: unknown = e;
  while (cur instanceof Error && cur.cause instanceof Error) cur = cur.cause;
  const err = cur as Error & { code?: string };
  return { message: err.message, code: err.code };
}

export async function expectServiceError(
  promise: Promise<unknown>,
  code: ServiceErrorCode,
  message?: RegExp | string,
): Promise<ServiceError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "expected the call to fail").toBeInstanceOf(ServiceError);
  const se = err as ServiceError;
  expect(se.code).toBe(code);
  if (message) expect(se.message).toMatch(message);
  return se;
}

export const userPrincipal = (role: Principal["roles"][number]["role"], id = `user-${role}`): Principal => ({
  id,
  kind: "user",
  name: `Test ${role}`,
  roles: [{ role, environments: null }],
});

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
