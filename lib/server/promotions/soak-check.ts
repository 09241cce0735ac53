import "server-only";
import { and, eq, or } from "drizzle-orm";
import { configLayers, configRevisions, driftStatus, healthChecks } from "@/drizzle/schema";
import { formatDuration, judgeSoak } from "@/lib/domain/health";
import type { DbOrTx } from "@/lib/db/client";
import type { EnvironmentRow, ServiceRow } from "../configs/lookup";

/**
 * Verified promotion (issue 6): why `service` may not be promoted out of `source` yet, or null when
 * the source has run the promoted revisions in sync and healthy for the target's soak time.
 */
export async function soakFailure(db: DbOrTx, service: ServiceRow, source: EnvironmentRow, soakMinutes: number, now = new Date()): Promise<string | null> {
  // The newest head revision among the layers that make up the source's resolved config.
  const heads = await db
    .select({ at: configRevisions.createdAt })
    .from(configLayers)
    .innerJoin(configRevisions, eq(configRevisions.id, configLayers.headRevisionId))
    .where(
      or(
        eq(configLayers.kind, "shared"),
        and(eq(configLayers.kind, "base"), eq(configLayers.serviceId, service.id)),
        and(eq(configLayers.kind, "overlay"), eq(configLayers.serviceId, service.id), eq(configLayers.environmentId, source.id)),
      ),
    );
  const revisionsSince = heads.length ? new Date(Math.max(...heads.map((h) => h.at.getTime()))) : null;
  const [drift] = await db
    .select({ status: driftStatus.status, since: driftStatus.since })
    .from(driftStatus)
    .where(and(eq(driftStatus.serviceId, service.id), eq(driftStatus.environmentId, source.id)));
  const checks = await db
    .select({ name: healthChecks.name, status: healthChecks.status, since: healthChecks.statusSince })
    .from(healthChecks)
    .where(and(eq(healthChecks.serviceId, service.id), eq(healthChecks.environmentId, source.id), eq(healthChecks.enabled, true)));
  const v = judgeSoak({ soakMinutes, revisionsSince, drift: drift ?? null, checks }, now);
  if (v.ok) return null;
  const left = v.remainingMs === null ? "" : `; ${formatDuration(v.remainingMs)} left (until ${new Date(now.getTime() + v.remainingMs).toISOString().slice(11, 16)} UTC)`;
  return `${service.name}: ${source.name} ${v.reason}${left}`;
}
