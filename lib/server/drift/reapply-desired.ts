import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { driftRemediations, driftTargets, environments, services } from "@/drizzle/schema";
import type { Principal } from "@/lib/auth/permissions";
import { rowsOf, getDb, type DbOrTx } from "@/lib/db/client";
import { log } from "@/lib/log";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, SYSTEM, withTransaction, type UseCaseArgs } from "../context";
import { ServiceError } from "../errors";
import { driftPairInput, type DriftPairInput } from "./get-drift-detail";
import { loadPair, lockStatus, recordRemediation, type LoadedPair } from "./load-pair";
import type { Pair } from "./desired";

const HOOK_TIMEOUT_MS = 10_000;

/** Calls the deploy hook with the desired config's revision; the answer is recorded, never thrown. */
async function callDeployHook(url: string, body: Record<string, unknown>): Promise<{ ok: boolean; status: number | null; detail: string }> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "nexus-drift" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(HOOK_TIMEOUT_MS),
      redirect: "manual",
    });
    const text = (await res.text().catch(() => "")).slice(0, 300);
    return { ok: res.ok, status: res.status, detail: `deploy hook answered ${res.status}${text ? `: ${text}` : ""}` };
  } catch (e) {
    return { ok: false, status: null, detail: `deploy hook unreachable: ${e instanceof Error ? e.message : String(e)}` };
  }
}

async function hookOf(db: DbOrTx, p: Pair): Promise<string | null> {
  const [row] = await db.select({ url: driftTargets.deployHookUrl }).from(driftTargets).where(and(eq(driftTargets.serviceId, p.serviceId), eq(driftTargets.environmentId, p.environmentId)));
  return row?.url ?? null;
}

function hookBody(p: LoadedPair, row: { desiredHash: string | null; desiredRevisions: unknown }, reason: string, by: string) {
  return { event: "nexus.reapply", service: p.service.name, environment: p.environment.name, desiredHash: row.desiredHash, revisions: row.desiredRevisions, reason, requestedBy: by };
}

/** Re-apply desired: asks the service's deploy hook to roll out the desired config's revision, and records the attempt. */
export async function reapplyDesired({ principal, input, meta, tx }: UseCaseArgs<DriftPairInput>) {
  const q = driftPairInput.parse(input);
  authorize(principal, "drift:remediate", { service: q.service, environment: q.env });
  const db = tx ?? (await getDb());
  const p = await loadPair(db, q.service, q.env);
  const url = await hookOf(db, p.pair);
  if (!url) throw new ServiceError("conflict", `${q.service} has no deploy hook in ${q.env}: configure one (drift settings of the pair) to re-apply from Nexus.`);
  const row = await withTransaction(tx, (t) => lockStatus(t, p));
  if (!row?.desiredHash) throw new ServiceError("conflict", `${q.service} in ${q.env} has not been scanned yet; wait for its first report.`);
  // The network call runs outside any transaction; its outcome is recorded afterwards.
  const outcome = await callDeployHook(url, hookBody(p, row, "manual", principal.name));
  return withTransaction(tx, async (t) => {
    const rem = await recordRemediation(t, principal, p, { kind: "reapply", outcome: outcome.ok ? "sent" : "failed", desiredHash: row.desiredHash, httpStatus: outcome.status, detail: outcome.detail });
    await recordAuditEvent(t, principal, { action: "drift.reapply_requested", targetType: "drift", targetId: `${q.service}/${q.env}`, service: q.service, environment: q.env, after: { desiredHash: row.desiredHash, revisions: row.desiredRevisions, outcome: rem.outcome, httpStatus: outcome.status } }, meta);
    return { id: rem.id, outcome: rem.outcome, httpStatus: outcome.status, detail: outcome.detail };
  });
}

/**
 * True when the desired config's overlay or base head was written by a rollback (or a revert):
 * someone pinned that revision on purpose, so automatic remediation leaves it alone.
 */
async function pinnedByRollback(db: DbOrTx, revisions: Record<string, { id: string } | null> | null): Promise<boolean> {
  const ids = [revisions?.overlay?.id, revisions?.base?.id].filter((x): x is string => Boolean(x));
  if (ids.length === 0) return false;
  const list = sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
  const rows = rowsOf<{ pinned: boolean }>(
    await db.execute(sql`
      select exists (
        select 1 from config_revisions r join audit_events a on a.action = 'config.rolled_back' and a.target_id = r.layer_id::text and (a.after->>'revision')::int = r.number
        where r.id in (${list})
      ) or exists (
        select 1 from change_request_items i join change_requests c on c.id = i.change_request_id
        where c.kind = 'revert' and i.applied_revision_id in (${list})
      ) as pinned`),
  );
  return Boolean(rows[0]?.pinned);
}

/**
 * Automatic remediation (environments that turned it on): re-apply desired once per desired
 * config, never again for the same one (a unique index decides, across instances), and never for
 * a revision pinned by a rollback.
 */
export async function autoRemediate(candidates: { pair: Pair; desiredHash: string }[]): Promise<number> {
  let sent = 0;
  const db = await getDb();
  for (const c of candidates) {
    try {
      const url = await hookOf(db, c.pair);
      if (!url) continue;
      const claimed = await withTransaction(undefined, async (t) => {
        const [p] = await t.select({ id: sql<string>`1` }).from(driftRemediations).where(and(eq(driftRemediations.serviceId, c.pair.serviceId), eq(driftRemediations.environmentId, c.pair.environmentId), eq(driftRemediations.kind, "auto_reapply"), eq(driftRemediations.desiredHash, c.desiredHash)));
        if (p) return null;
        const pair = await loadPairById(t, c.pair);
        const row = await lockStatus(t, pair);
        if (row?.status !== "drifted" || row.desiredHash !== c.desiredHash) return null;
        if (await pinnedByRollback(t, row.desiredRevisions)) return null;
        const [rem] = await t
          .insert(driftRemediations)
          .values({ ...c.pair, kind: "auto_reapply", outcome: "pending", desiredHash: c.desiredHash, actorId: SYSTEM.id, actorName: "automatic remediation" })
          .onConflictDoNothing()
          .returning();
        return rem ? { rem, pair, row } : null;
      });
      if (!claimed) continue;
      const outcome = await callDeployHook(url, hookBody(claimed.pair, claimed.row, "automatic", "automatic remediation"));
      await withTransaction(undefined, async (t) => {
        await t.update(driftRemediations).set({ outcome: outcome.ok ? "sent" : "failed", httpStatus: outcome.status, detail: outcome.detail.slice(0, 2000) }).where(eq(driftRemediations.id, claimed.rem.id));
        await recordAuditEvent(t, AUTO, { action: "drift.auto_reapplied", targetType: "drift", targetId: `${claimed.pair.service.name}/${claimed.pair.environment.name}`, service: claimed.pair.service.name, environment: claimed.pair.environment.name, after: { desiredHash: c.desiredHash, outcome: outcome.ok ? "sent" : "failed", httpStatus: outcome.status } });
      });
      sent += 1;
    } catch (err) {
      log.warn({ err, pair: c.pair }, "automatic drift remediation failed");
    }
  }
  return sent;
}

const AUTO: Principal = { ...SYSTEM, name: "automatic remediation" };

async function loadPairById(db: DbOrTx, p: Pair): Promise<LoadedPair> {
  const [s] = await db.select().from(services).where(eq(services.id, p.serviceId));
  const [e] = await db.select().from(environments).where(eq(environments.id, p.environmentId));
  return { service: s!, environment: e!, pair: p };
}
