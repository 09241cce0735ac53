import "server-only";
import { and, eq } from "drizzle-orm";
import { driftRemediations, driftStatus } from "@/drizzle/schema";
import type { Principal } from "@/lib/auth/permissions";
import type { DbOrTx, Transaction } from "@/lib/db/client";
import { findEnvironment, findService, type EnvironmentRow, type ServiceRow } from "../configs/lookup";

export interface LoadedPair {
  service: ServiceRow;
  environment: EnvironmentRow;
  pair: { serviceId: string; environmentId: string };
}

export async function loadPair(db: DbOrTx, service: string, env: string): Promise<LoadedPair> {
  const s = await findService(db, service);
  const e = await findEnvironment(db, env);
  return { service: s, environment: e, pair: { serviceId: s.id, environmentId: e.id } };
}

/** The pair's status row, locked for the rest of the transaction (a scanner then skips it). */
export async function lockStatus(t: Transaction, p: LoadedPair) {
  const [row] = await t
    .select()
    .from(driftStatus)
    .where(and(eq(driftStatus.serviceId, p.pair.serviceId), eq(driftStatus.environmentId, p.pair.environmentId)))
    .for("update");
  return row ?? null;
}

export async function recordRemediation(
  t: DbOrTx,
  principal: Principal,
  p: LoadedPair,
  r: { kind: (typeof driftRemediations.$inferInsert)["kind"]; outcome: (typeof driftRemediations.$inferInsert)["outcome"]; desiredHash?: string | null; httpStatus?: number | null; detail?: string; changeRequestId?: string | null },
) {
  const [row] = await t
    .insert(driftRemediations)
    .values({ ...p.pair, ...r, detail: (r.detail ?? "").slice(0, 2000), actorId: principal.id, actorName: principal.name })
    .returning();
  return row!;
}
