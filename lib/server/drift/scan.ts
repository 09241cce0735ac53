import "server-only";
import { and, asc, eq, getTableColumns, inArray, isNull, lte, sql } from "drizzle-orm";
import { driftEpisodes, driftIgnoreRules, driftSettings, driftStatus, observedConfigs } from "@/drizzle/schema";
import { canonicalJson, sha256Hex } from "@/lib/domain/canonical-json";
import type { ConfigObject } from "@/lib/domain/config-value";
import { compileIgnoreRules, diffDrift, hashAtPaths, type DriftEntry } from "@/lib/domain/drift";
import { decideDriftStatus, nextTimedChange, type DriftStatusName } from "@/lib/domain/drift-status";
import { getDb, type DbOrTx, type Transaction } from "@/lib/db/client";
import { log } from "@/lib/log";
import { hashSecretValue, loadDesiredHeads, pairKey, resolveDesired, type Desired, type Pair } from "./desired";

/** Pairs with reports are looked at again at least this often (catches variable and secret changes). */
export const RESCAN_MS = 60_000;
/** At most this many drifted paths are kept per pair (the count is always exact). */
const MAX_KEPT_PATHS = 500;
export const DEFAULT_SETTINGS = { staleAfterSeconds: 3600, rolloutDeadlineSeconds: 600, autoRemediate: false };

export interface StatusChange {
  pair: Pair;
  service: string;
  environment: string;
  from: DriftStatusName;
  to: DriftStatusName;
  paths: string[];
  entries: DriftEntry[];
  driftCount: number;
  desiredHash: string | null;
}
export interface ScanResult {
  scanned: number;
  recomputed: number;
  changes: StatusChange[];
  /** Pairs drifted now in environments with automatic remediation on. */
  autoCandidates: { pair: Pair; desiredHash: string }[];
}

export async function loadSettings(db: DbOrTx, envIds: string[]) {
  const rows = envIds.length ? await db.select().from(driftSettings).where(inArray(driftSettings.environmentId, envIds)) : [];
  const byEnv = new Map(rows.map((r) => [r.environmentId, r]));
  return (envId: string) => byEnv.get(envId) ?? DEFAULT_SETTINGS;
}

/**
 * Recomputes the drift of the given pairs inside the caller's transaction (the caller holds their
 * rows). A pair whose desired config, observed config and ignore rules are unchanged since its
 * last scan is only re-decided against the clock; the others are resolved, and diffed only when
 * the observed content hash differs from the desired one (an in-sync pair needs no diff at all).
 */
export async function scanPairs(t: Transaction, pairs: Pair[], opts: { now?: Date; force?: boolean } = {}): Promise<ScanResult> {
  const now = opts.now ?? new Date();
  const result: ScanResult = { scanned: 0, recomputed: 0, changes: [], autoCandidates: [] };
  if (pairs.length === 0) return result;
  const serviceIds = [...new Set(pairs.map((p) => p.serviceId))];
  const envIds = [...new Set(pairs.map((p) => p.environmentId))];
  const inPairs = (table: typeof driftStatus | typeof observedConfigs, ps: Pair[] = pairs) =>
    and(inArray(table.serviceId, [...new Set(ps.map((p) => p.serviceId))]), inArray(table.environmentId, [...new Set(ps.map((p) => p.environmentId))]));
  const wanted = new Set(pairs.map(pairKey));

  // Neither the paths nor the revisions are needed to decide; they are read below only where they are.
  const { paths: _paths, desiredRevisions: _revisions, ...statusColumns } = getTableColumns(driftStatus);
  const statusRows = new Map((await t.select(statusColumns).from(driftStatus).where(inPairs(driftStatus))).filter((r) => wanted.has(pairKey(r))).map((r) => [pairKey(r), r]));
  const observedMeta = new Map(
    (
      await t
        .select({ serviceId: observedConfigs.serviceId, environmentId: observedConfigs.environmentId, hash: observedConfigs.hash, reportedAt: observedConfigs.reportedAt, hashedPaths: observedConfigs.hashedPaths })
        .from(observedConfigs)
        .where(inPairs(observedConfigs))
    ).map((r) => [pairKey(r), r]),
  );
  const heads = await loadDesiredHeads(t, pairs);
  const rules = await t.select().from(driftIgnoreRules).where(inArray(driftIgnoreRules.serviceId, serviceIds));
  const settingsOf = await loadSettings(t, envIds);
  const rulesByService = new Map<string, typeof rules>();
  for (const r of rules) rulesByService.set(r.serviceId, [...(rulesByService.get(r.serviceId) ?? []), r]);
  const rulesOf = (p: Pair) => (rulesByService.get(p.serviceId) ?? []).filter((r) => r.environmentId === null || r.environmentId === p.environmentId).map((r) => r.pattern).sort();
  const NO_RULES = sha256Hex(canonicalJson([]));
  const rulesKeyOf = (p: Pair) => (rulesByService.has(p.serviceId) ? sha256Hex(canonicalJson(rulesOf(p))) : NO_RULES);

  const full: Pair[] = [];
  for (const p of pairs) {
    const k = pairKey(p);
    const row = statusRows.get(k);
    const h = heads.get(k);
    const o = observedMeta.get(k);
    if (!h || !o) continue;
    if (opts.force || !row || row.desiredKey !== h.key || row.observedHash !== o.hash || row.rulesKey !== rulesKeyOf(p)) full.push(p);
  }
  const desired = await resolveDesired(t, full.map((p) => heads.get(pairKey(p))!));
  // Values are read only where the observed content is not the desired content.
  const needDiff = full.filter((p) => {
    const d = desired.get(pairKey(p));
    return d && !("error" in d) && d.hash !== observedMeta.get(pairKey(p))!.hash;
  });
  const observedValues = await valuesOf(t, observedConfigs, needDiff, inPairs);
  // Earlier paths matter where there was drift: an acknowledgement holds only for the same paths.
  const hadDrift = pairs.filter((p) => (statusRows.get(pairKey(p))?.driftCount ?? 0) > 0);
  const previousPaths = await valuesOf(t, driftStatus, hadDrift, inPairs);

  const fullRows: Record<string, unknown>[] = [];
  const leanRows: { service_id: string; environment_id: string; scan_due_at: string | null }[] = [];
  const postponed: Pair[] = [];
  const fullSet = new Set(full.map(pairKey));
  const needDiffSet = new Set(needDiff.map(pairKey));
  for (const p of pairs) {
    const k = pairKey(p);
    const h = heads.get(k);
    if (!h) {
      postponed.push(p);
      continue;
    }
    const row = statusRows.get(k) ?? null;
    const o = observedMeta.get(k) ?? null;
    const settings = settingsOf(p.environmentId);
    let entries: DriftEntry[] | null = null;
    let d: Desired | null = null;
    if (fullSet.has(k)) {
      const got = desired.get(k);
      if (!got || "error" in got) {
        log.warn({ service: h.service, environment: h.environment, reason: got && "error" in got ? got.error : "no desired config" }, "drift scan skipped a pair");
        postponed.push(p);
        continue;
      }
      d = got;
      entries = needDiffSet.has(k) ? diffPair(d, (observedValues.get(k) ?? {}) as ConfigObject, o?.hashedPaths ?? [], rulesOf(p)) : [];
      result.recomputed += 1;
    }
    const driftCount = entries ? entries.length : (row?.driftCount ?? 0);
    const desiredHash = d?.hash ?? row?.desiredHash ?? "";
    const decision = decideDriftStatus(
      { now, lastReportAt: o?.reportedAt ?? null, staleAfterMs: settings.staleAfterSeconds * 1000, rolloutDeadlineMs: settings.rolloutDeadlineSeconds * 1000, driftCount, desiredHash },
      row ? { status: row.status, desiredHash: row.desiredHash, awaitingUntil: row.awaitingUntil } : null,
    );
    const previous: DriftStatusName = row?.status ?? "unknown";
    const before = (previousPaths.get(k) ?? []) as DriftEntry[];
    const paths = entries ? entries.slice(0, MAX_KEPT_PATHS) : before;
    const pathsChanged = entries !== null && (entries.length !== before.length || entries.some((e, i) => e.path !== before[i]!.path));
    const statusChanged = decision.status !== previous;
    const timed = nextTimedChange({ lastReportAt: o?.reportedAt ?? null, staleAfterMs: settings.staleAfterSeconds * 1000 }, decision);
    const due = o ? new Date(Math.min(now.getTime() + RESCAN_MS, timed?.getTime() ?? Infinity)) : null;
    result.scanned += 1;
    if (row && !entries && !statusChanged && (row.awaitingUntil?.getTime() ?? null) === (decision.awaitingUntil?.getTime() ?? null)) {
      leanRows.push({ service_id: p.serviceId, environment_id: p.environmentId, scan_due_at: due?.toISOString() ?? null });
    } else {
      const resetAck = statusChanged || pathsChanged;
      fullRows.push({
        service_id: p.serviceId,
        environment_id: p.environmentId,
        status: decision.status,
        since: (statusChanged || !row ? now : row.since).toISOString(),
        // An acknowledgement holds for the drift that was acknowledged, not for a new one.
        acknowledged_by: resetAck ? null : (row?.acknowledgedBy ?? null),
        acknowledged_at: resetAck ? null : (row?.acknowledgedAt?.toISOString() ?? null),
        desired_key: d?.key ?? null,
        desired_hash: d?.hash ?? null,
        desired_revisions: d?.revisions ?? null,
        observed_hash: o?.hash ?? null,
        last_report_at: o?.reportedAt.toISOString() ?? null,
        paths: entries ? paths : null,
        drift_count: driftCount,
        rules_key: entries ? rulesKeyOf(p) : null,
        awaiting_until: decision.awaitingUntil?.toISOString() ?? null,
        scan_due_at: due?.toISOString() ?? null,
      });
    }
    const pathList = paths.map((e) => e.path);
    if (statusChanged) result.changes.push({ pair: p, service: h.service, environment: h.environment, from: previous, to: decision.status, paths: pathList, entries: paths, driftCount, desiredHash: desiredHash || null });
    else if (decision.status === "drifted" && pathsChanged) await updateOpenEpisode(t, p, paths, driftCount);
    if (decision.status === "drifted" && settings.autoRemediate && desiredHash) result.autoCandidates.push({ pair: p, desiredHash });
  }

  const missing = pairs.filter((p) => !statusRows.has(pairKey(p)) && heads.has(pairKey(p)));
  if (missing.length) await t.insert(driftStatus).values(missing.map((p) => ({ ...p, status: "unknown" as const }))).onConflictDoNothing();
  for (let i = 0; i < fullRows.length; i += 1000) {
    await t.execute(sql`
      update drift_status d set
        status = x.status, since = x.since, acknowledged_by = x.acknowledged_by, acknowledged_at = x.acknowledged_at,
        desired_key = coalesce(x.desired_key, d.desired_key), desired_hash = coalesce(x.desired_hash, d.desired_hash),
        desired_revisions = coalesce(x.desired_revisions, d.desired_revisions), observed_hash = x.observed_hash,
        last_report_at = x.last_report_at, paths = coalesce(x.paths, d.paths), drift_count = x.drift_count,
        rules_key = coalesce(x.rules_key, d.rules_key), awaiting_until = x.awaiting_until, scanned_at = ${now.toISOString()}::timestamptz,
        scan_due_at = x.scan_due_at
      from jsonb_to_recordset(${JSON.stringify(fullRows.slice(i, i + 1000))}::jsonb) as x(
        service_id uuid, environment_id uuid, status text, since timestamptz, acknowledged_by text, acknowledged_at timestamptz,
        desired_key text, desired_hash text, desired_revisions jsonb, observed_hash text, last_report_at timestamptz, paths jsonb,
        drift_count int, rules_key text, awaiting_until timestamptz, scan_due_at timestamptz)
      where d.service_id = x.service_id and d.environment_id = x.environment_id`);
  }
  for (let i = 0; i < leanRows.length; i += 2000) {
    await t.execute(sql`
      update drift_status d set scanned_at = ${now.toISOString()}::timestamptz, scan_due_at = x.scan_due_at
      from jsonb_to_recordset(${JSON.stringify(leanRows.slice(i, i + 2000))}::jsonb) as x(service_id uuid, environment_id uuid, scan_due_at timestamptz)
      where d.service_id = x.service_id and d.environment_id = x.environment_id`);
  }
  // A pair that cannot be scanned now (its desired config does not resolve) is tried again later, not in a loop.
  for (const p of postponed) {
    await t
      .update(driftStatus)
      .set({ scanDueAt: new Date(now.getTime() + RESCAN_MS) })
      .where(and(eq(driftStatus.serviceId, p.serviceId), eq(driftStatus.environmentId, p.environmentId)));
  }
  await recordTransitions(t, result.changes, now);
  return result;
}

/** The `value` (observed) or `paths` (status) column of some pairs, in one query. */
async function valuesOf(
  t: Transaction,
  table: typeof observedConfigs | typeof driftStatus,
  ps: Pair[],
  inPairs: (table: typeof driftStatus | typeof observedConfigs, ps: Pair[]) => ReturnType<typeof and>,
): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  if (ps.length === 0) return out;
  const wanted = new Set(ps.map(pairKey));
  const column = table === observedConfigs ? observedConfigs.value : driftStatus.paths;
  const rows = await t.select({ serviceId: table.serviceId, environmentId: table.environmentId, v: column }).from(table).where(inPairs(table, ps));
  for (const r of rows) if (wanted.has(pairKey(r))) out.set(pairKey(r), r.v);
  return out;
}

/** Compares desired and observed with every secret as a keyed hash on both sides. */
function diffPair(d: Desired, observed: ConfigObject, hashedInObserved: string[], rules: string[]): DriftEntry[] {
  const already = new Set(hashedInObserved);
  const desiredSecrets = new Set(d.secretPaths);
  // A secret path of the SSOT that the report sent in clear (it did not look like one) is hashed now;
  // a value the report hashed is compared against the hash of the desired value there.
  const observedSide = hashAtPaths(observed, d.secretPaths.filter((p) => !already.has(p)), hashSecretValue);
  const desiredSide = hashAtPaths(d.value, hashedInObserved.filter((p) => !desiredSecrets.has(p)), hashSecretValue);
  return diffDrift({ desired: desiredSide, observed: observedSide, secretPaths: [...new Set([...d.secretPaths, ...hashedInObserved])], ignore: compileIgnoreRules(rules) });
}

async function updateOpenEpisode(t: Transaction, p: Pair, paths: DriftEntry[], count: number) {
  await t
    .update(driftEpisodes)
    .set({ paths, maxCount: sql`greatest(${driftEpisodes.maxCount}, ${count})` })
    .where(and(eq(driftEpisodes.serviceId, p.serviceId), eq(driftEpisodes.environmentId, p.environmentId), isNull(driftEpisodes.endedAt)));
}

/** Episodes of drift begin and end with the status; every change is a domain event in the outbox. */
async function recordTransitions(t: Transaction, changes: StatusChange[], now: Date) {
  if (changes.length === 0) return;
  for (const c of changes.filter((x) => x.from === "drifted")) {
    await t
      .update(driftEpisodes)
      .set({ endedAt: now, endedAs: c.to })
      .where(and(eq(driftEpisodes.serviceId, c.pair.serviceId), eq(driftEpisodes.environmentId, c.pair.environmentId), isNull(driftEpisodes.endedAt)));
  }
  const began = changes.filter((c) => c.to === "drifted").map((c) => ({ service_id: c.pair.serviceId, environment_id: c.pair.environmentId, paths: c.entries, max_count: c.driftCount, desired_hash: c.desiredHash }));
  const events: { type: string; payload: Record<string, unknown> }[] = [];
  for (const c of changes) {
    // Paths only, never values: subscribers may not be allowed to see the config itself.
    const payload = { service: c.service, environment: c.environment, status: c.to, previous: c.from, paths: c.paths.slice(0, 50) };
    events.push({ type: "drift.status_changed", payload });
    if (c.to === "drifted") events.push({ type: "drift.detected", payload });
    if (c.from === "drifted") events.push({ type: "drift.resolved", payload });
  }
  for (let i = 0; i < began.length; i += 1000) {
    await t.execute(sql`
      insert into drift_episodes (service_id, environment_id, began_at, paths, max_count, desired_hash)
      select x.service_id, x.environment_id, ${now.toISOString()}::timestamptz, x.paths, x.max_count, x.desired_hash
      from jsonb_to_recordset(${JSON.stringify(began.slice(i, i + 1000))}::jsonb) as x(service_id uuid, environment_id uuid, paths jsonb, max_count int, desired_hash text)`);
  }
  for (let i = 0; i < events.length; i += 2000) {
    await t.execute(sql`
      insert into outbox_events (type, payload)
      select x.type, x.payload from jsonb_to_recordset(${JSON.stringify(events.slice(i, i + 2000))}::jsonb) as x(type text, payload jsonb)`);
  }
}

/** Makes pairs due for a scan now (a report arrived, the desired config changed, a rule changed). */
export async function markDriftDirty(db: DbOrTx, scope: { serviceId?: string | null; environmentId?: string | null }): Promise<void> {
  await db
    .update(driftStatus)
    .set({ scanDueAt: sql`now()` })
    .where(and(scope.serviceId ? eq(driftStatus.serviceId, scope.serviceId) : undefined, scope.environmentId ? eq(driftStatus.environmentId, scope.environmentId) : undefined));
}

/**
 * Job: scans every due pair, batch by batch. Each batch is claimed with FOR UPDATE SKIP LOCKED and
 * scanned in the claiming transaction, which also moves its due time on: several instances never
 * scan the same pair twice.
 */
export async function scanDueDrift(opts: { now?: Date; batchSize?: number; force?: boolean } = {}): Promise<ScanResult> {
  const db = await getDb();
  const total: ScanResult = { scanned: 0, recomputed: 0, changes: [], autoCandidates: [] };
  for (;;) {
    const now = opts.now ?? new Date();
    const r = await db.transaction(async (t) => {
      const due = await t
        .select({ serviceId: driftStatus.serviceId, environmentId: driftStatus.environmentId })
        .from(driftStatus)
        .where(lte(driftStatus.scanDueAt, now))
        .orderBy(asc(driftStatus.scanDueAt))
        .limit(opts.batchSize ?? 500)
        .for("update", { skipLocked: true });
      return scanPairs(t, due, { now, force: opts.force });
    });
    total.scanned += r.scanned;
    total.recomputed += r.recomputed;
    total.changes.push(...r.changes);
    total.autoCandidates.push(...r.autoCandidates);
    if (r.scanned === 0) return total;
  }
}
