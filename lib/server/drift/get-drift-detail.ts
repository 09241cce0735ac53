import "server-only";
import { and, desc, eq, isNull, or } from "drizzle-orm";
import { z } from "zod";
import { driftEpisodes, driftIgnoreRules, driftRemediations, driftStatus, driftTargets, observedConfigs } from "@/drizzle/schema";
import { can } from "@/lib/auth/permissions";
import type { DriftEntry } from "@/lib/domain/drift";
import type { DriftStatusName } from "@/lib/domain/drift-status";
import { authorize, reader, type UseCaseArgs } from "../context";
import { findEnvironment, findService } from "../configs/lookup";
import { resourceName } from "../tokens/token-schemas";
import { loadSettings } from "./scan";

export const driftPairInput = z.object({ service: resourceName, env: resourceName });
export type DriftPairInput = z.input<typeof driftPairInput>;

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/** Everything the drift page of one service × environment shows, and what the caller may do there. */
export async function getDriftDetail({ principal, input, tx }: UseCaseArgs<DriftPairInput>) {
  const q = driftPairInput.parse(input);
  authorize(principal, "drift:read", { service: q.service, environment: q.env });
  const db = await reader(tx);
  const service = await findService(db, q.service);
  const environment = await findEnvironment(db, q.env);
  const pair = and(eq(driftStatus.serviceId, service.id), eq(driftStatus.environmentId, environment.id));
  const [row] = await db.select().from(driftStatus).where(pair);
  const [observed] = await db
    .select({ reportedAt: observedConfigs.reportedAt, changedAt: observedConfigs.changedAt, reportedBy: observedConfigs.reportedBy, source: observedConfigs.source, hash: observedConfigs.hash, hashedPaths: observedConfigs.hashedPaths })
    .from(observedConfigs)
    .where(and(eq(observedConfigs.serviceId, service.id), eq(observedConfigs.environmentId, environment.id)));
  const episodes = await db
    .select()
    .from(driftEpisodes)
    .where(and(eq(driftEpisodes.serviceId, service.id), eq(driftEpisodes.environmentId, environment.id)))
    .orderBy(desc(driftEpisodes.beganAt))
    .limit(20);
  const remediations = await db
    .select()
    .from(driftRemediations)
    .where(and(eq(driftRemediations.serviceId, service.id), eq(driftRemediations.environmentId, environment.id)))
    .orderBy(desc(driftRemediations.createdAt))
    .limit(20);
  const rules = await db
    .select()
    .from(driftIgnoreRules)
    .where(and(eq(driftIgnoreRules.serviceId, service.id), or(isNull(driftIgnoreRules.environmentId), eq(driftIgnoreRules.environmentId, environment.id))))
    .orderBy(driftIgnoreRules.pattern);
  const [target] = await db.select().from(driftTargets).where(and(eq(driftTargets.serviceId, service.id), eq(driftTargets.environmentId, environment.id)));
  const settings = (await loadSettings(db, [environment.id]))(environment.id);

  const status: DriftStatusName = row?.status ?? "unknown";
  const target_ = { service: q.service, environment: q.env };
  const remediate = can(principal, "drift:remediate", target_);
  const differs = (row?.driftCount ?? 0) > 0 && status !== "unknown";
  return {
    service: service.name,
    env: environment.name,
    envProtected: environment.protected,
    status,
    since: iso(row?.since),
    driftCount: row?.driftCount ?? 0,
    paths: ((row?.paths ?? []) as DriftEntry[]),
    awaitingUntil: iso(row?.awaitingUntil),
    scannedAt: iso(row?.scannedAt),
    acknowledged: row?.acknowledgedAt ? { by: row.acknowledgedBy, at: iso(row.acknowledgedAt) } : null,
    desiredRevisions: row?.desiredRevisions ?? null,
    desiredHash: row?.desiredHash ?? null,
    observed: observed
      ? { reportedAt: iso(observed.reportedAt), changedAt: iso(observed.changedAt), reportedBy: observed.reportedBy, source: observed.source, hash: observed.hash, hashedPaths: observed.hashedPaths }
      : null,
    episodes: episodes.map((e) => ({ id: e.id, beganAt: iso(e.beganAt), endedAt: iso(e.endedAt), endedAs: e.endedAs, count: e.maxCount, paths: (e.paths as DriftEntry[]).map((p) => ({ path: p.path, kind: p.kind })) })),
    remediations: remediations.map((r) => ({ id: r.id, kind: r.kind, outcome: r.outcome, httpStatus: r.httpStatus, detail: r.detail, changeRequestId: r.changeRequestId, actor: r.actorName, at: iso(r.createdAt) })),
    ignoreRules: rules.map((r) => ({ id: r.id, pattern: r.pattern, reason: r.reason, allEnvironments: r.environmentId === null, createdBy: r.createdBy, createdAt: iso(r.createdAt) })),
    target: {
      pullUrl: target?.pullUrl ?? null,
      pullIntervalSeconds: target?.pullIntervalSeconds ?? null,
      lastPullAt: iso(target?.lastPullAt),
      lastPullError: target?.lastPullError ?? null,
      deployHookConfigured: Boolean(target?.deployHookUrl),
    },
    settings: { staleAfterSeconds: settings.staleAfterSeconds, rolloutDeadlineSeconds: settings.rolloutDeadlineSeconds, autoRemediate: settings.autoRemediate },
    actions: {
      reapply: remediate && Boolean(target?.deployHookUrl) && status !== "unknown",
      adopt: remediate && differs && (environment.protected ? can(principal, "changes:create", target_) : can(principal, "config:write", target_)),
      ignore: remediate,
      acknowledge: remediate && status === "drifted" && !row?.acknowledgedAt,
      configure: can(principal, "services:manage", target_),
    },
  };
}
