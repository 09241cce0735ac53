import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { driftStatus, observedConfigs } from "@/drizzle/schema";
import type { Principal } from "@/lib/auth/permissions";
import type { ConfigObject } from "@/lib/domain/config-value";
import { canonicalJson, sha256Hex } from "@/lib/domain/canonical-json";
import { hashAtPaths, sensitivePaths } from "@/lib/domain/drift";
import type { Transaction } from "@/lib/db/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type RequestMeta, type UseCaseArgs } from "../context";
import { findEnvironment, findService, type EnvironmentRow, type ServiceRow } from "../configs/lookup";
import { parseOrThrow } from "../configs/parse-source";
import { resourceName } from "../tokens/token-schemas";
import { hashSecretValue, loadDesiredHeads, pairKey, resolveDesired } from "./desired";
import { scanPairs } from "./scan";

export const OBSERVED_FORMATS = ["json", "yaml", "env"] as const;
export const reportObservedInput = z.object({
  service: resourceName,
  env: resourceName,
  content: z.string(),
  format: z.enum(OBSERVED_FORMATS),
});
export type ReportObservedInput = z.input<typeof reportObservedInput>;

/**
 * A service reports the config it actually runs (POST …/observed). Secret values are hashed before
 * anything is stored: at the SSOT's secret paths and at keys that look like credentials. The pair is
 * scanned at once, in the same transaction, so the board reflects the report immediately.
 */
export async function reportObserved({ principal, input, meta, tx }: UseCaseArgs<ReportObservedInput>) {
  const q = reportObservedInput.parse(input);
  authorize(principal, "observed:write", { service: q.service, environment: q.env });
  const parsed = parseOrThrow(q.content, q.format);
  return withTransaction(tx, async (t) => {
    const service = await findService(t, q.service);
    const environment = await findEnvironment(t, q.env);
    return recordObservation(t, principal, { service, environment, value: parsed.value, source: "push" }, meta);
  });
}

/** Stores one observation (push, pull or the demo seed) and rescans its pair. */
export async function recordObservation(
  t: Transaction,
  principal: Principal,
  o: { service: ServiceRow; environment: EnvironmentRow; value: ConfigObject; source: "push" | "pull" | "demo"; now?: Date },
  meta?: RequestMeta,
  // The demo seed writes its own single audit event for everything it seeds.
  opts: { audit?: boolean } = {},
) {
  const now = o.now ?? new Date();
  const pair = { serviceId: o.service.id, environmentId: o.environment.id };
  const desired = (await resolveDesired(t, [...(await loadDesiredHeads(t, [pair])).values()])).get(pairKey(pair));
  const secretPaths = desired && !("error" in desired) ? desired.secretPaths : [];
  const hashed = [...new Set([...secretPaths, ...sensitivePaths(o.value)])].sort();
  const value = hashAtPaths(o.value, hashed, hashSecretValue);
  const hash = sha256Hex(canonicalJson(value));

  const [before] = await t.select({ hash: observedConfigs.hash }).from(observedConfigs).where(and(eq(observedConfigs.serviceId, pair.serviceId), eq(observedConfigs.environmentId, pair.environmentId))).for("update");
  const changed = before?.hash !== hash;
  await t
    .insert(observedConfigs)
    .values({ ...pair, value, hashedPaths: hashed, hash, source: o.source, reportedBy: principal.name, reportedAt: now, changedAt: now })
    .onConflictDoUpdate({
      target: [observedConfigs.serviceId, observedConfigs.environmentId],
      set: changed ? { value, hashedPaths: hashed, hash, source: o.source, reportedBy: principal.name, reportedAt: now, changedAt: now } : { reportedAt: now, reportedBy: principal.name, source: o.source },
    });
  await t.insert(driftStatus).values({ ...pair, status: "unknown", scanDueAt: now }).onConflictDoUpdate({ target: [driftStatus.serviceId, driftStatus.environmentId], set: { scanDueAt: sql`excluded.scan_due_at` } });
  // Lock the pair's status row like the scanner does, so a concurrent scan skips it.
  await t.select({ s: driftStatus.status }).from(driftStatus).where(and(eq(driftStatus.serviceId, pair.serviceId), eq(driftStatus.environmentId, pair.environmentId))).for("update");
  const scan = await scanPairs(t, [pair], { now });
  const [status] = await t.select().from(driftStatus).where(and(eq(driftStatus.serviceId, pair.serviceId), eq(driftStatus.environmentId, pair.environmentId)));

  // Unchanged reports (an agent's heartbeat) only move the time; a changed config is audited.
  if (changed && opts.audit !== false) {
    await recordAuditEvent(
      t,
      principal,
      {
        action: "drift.observed_reported",
        targetType: "observed_config",
        targetId: `${o.service.name}/${o.environment.name}`,
        service: o.service.name,
        environment: o.environment.name,
        before: before ? { hash: before.hash } : null,
        after: { hash, source: o.source, hashedPaths: hashed, status: status?.status ?? "unknown", driftCount: status?.driftCount ?? 0 },
      },
      meta,
    );
  }
  return {
    service: o.service.name,
    env: o.environment.name,
    hash,
    changed,
    status: status?.status ?? "unknown",
    driftCount: status?.driftCount ?? 0,
    hashedPaths: hashed,
    autoCandidates: scan.autoCandidates,
  };
}
