import "server-only";
import { can, type Permission, type Principal, type Target } from "@/lib/auth/permissions";
import { getDb, type DbOrTx, type Transaction } from "@/lib/db/client";
import { ServiceError } from "./errors";

/** Where a call came from; it is written into the audit event. */
export interface RequestMeta {
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}

export const NO_REQUEST: RequestMeta = { requestId: null, ip: null, userAgent: null };

export const SYSTEM: Principal = { id: "system", kind: "system", name: "Nexus", roles: [] };

/** The shape every use case takes: who acts, what they ask, and an outer transaction to join. */
export interface UseCaseArgs<I> {
  principal: Principal;
  input: I;
  meta?: RequestMeta;
  tx?: DbOrTx;
}

export function authorize(principal: Principal, permission: Permission, target: Target = {}): void {
  if (can(principal, permission, target)) return;
  const where = [target.service && `service ${target.service}`, target.environment && `environment ${target.environment}`]
    .filter(Boolean)
    .join(" in ");
  throw new ServiceError(
    "forbidden",
    `You do not have the ${permission} permission${where ? ` for ${where}` : ""}.`,
    { permission },
  );
}

/** Runs `work` in a transaction, or inside the caller's one so that audit rows commit with the change. */
export async function withTransaction<T>(outer: DbOrTx | undefined, work: (tx: Transaction) => Promise<T>): Promise<T> {
  if (outer && isTransaction(outer)) return work(outer);
  const db = outer ?? (await getDb());
  let opened: Transaction | undefined;
  const result = await db.transaction((tx) => {
    opened = tx;
    return work(tx);
  });
  if (opened) runAfterCommit(opened);
  return result;
}

// Callbacks of transactions opened by withTransaction, run once it has committed (dropped on rollback).
const afterCommitCallbacks = new WeakMap<Transaction, (() => void)[]>();

/**
 * Runs `callback` once `tx` has committed. In-process caches use it: a LISTEN notification may
 * arrive after the writer's commit has returned, and this process must not serve stale data
 * meanwhile. A transaction not opened by withTransaction never runs it (NOTIFY still covers it).
 */
export function afterCommit(tx: DbOrTx, callback: () => void): void {
  if (!isTransaction(tx)) return void callback();
  const list = afterCommitCallbacks.get(tx);
  if (list) list.push(callback);
  else afterCommitCallbacks.set(tx, [callback]);
}

function runAfterCommit(tx: Transaction): void {
  const list = afterCommitCallbacks.get(tx);
  afterCommitCallbacks.delete(tx);
  for (const cb of list ?? []) {
    try {
      cb();
    } catch {
      // A listener's failure must not turn a committed change into an error for the caller.
    }
  }
}

function isTransaction(x: DbOrTx): x is Transaction {
  return typeof (x as { rollback?: unknown }).rollback === "function";
}

export async function reader(outer?: DbOrTx): Promise<DbOrTx> {
  return outer ?? (await getDb());
}
