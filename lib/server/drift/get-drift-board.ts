import "server-only";
import { and, asc, count, eq, exists, gt, ilike, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { driftStatus, environments, services } from "@/drizzle/schema";
import { can, type Principal } from "@/lib/auth/permissions";
import { DRIFT_STATUSES, type DriftStatusName } from "@/lib/domain/drift-status";
import { authorize, reader, type UseCaseArgs } from "../context";

export const driftBoardInput = z.object({
  status: z.enum(DRIFT_STATUSES).optional(),
  q: z.string().trim().max(100).optional(),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type DriftBoardInput = z.input<typeof driftBoardInput>;

type Counts = Record<DriftStatusName, number>;
const zero = (): Counts => ({ in_sync: 0, drifted: 0, awaiting_rollout: 0, stale: 0, unknown: 0 });

async function visibleEnvironments(db: Awaited<ReturnType<typeof reader>>, principal: Principal) {
  const envs = await db.select({ id: environments.id, name: environments.name, protected: environments.protected }).from(environments).orderBy(asc(environments.position));
  return envs.filter((e) => can(principal, "drift:read", { environment: e.name }));
}

/**
 * Counts of services by drift status in each environment the caller may see (a pair nobody ever
 * reported counts as unknown). The overview calls this.
 */
export async function getDriftSummary({ principal, tx }: UseCaseArgs<void>) {
  authorize(principal, "drift:read");
  const db = await reader(tx);
  const envs = await visibleEnvironments(db, principal);
  const [{ n: total } = { n: 0 }] = await db.select({ n: count() }).from(services);
  const rows = envs.length
    ? await db
        .select({ environmentId: driftStatus.environmentId, status: driftStatus.status, n: count() })
        .from(driftStatus)
        .where(inArray(driftStatus.environmentId, envs.map((e) => e.id)))
        .groupBy(driftStatus.environmentId, driftStatus.status)
    : [];
  const perEnv = envs.map((e) => {
    const counts = zero();
    let known = 0;
    for (const r of rows) {
      if (r.environmentId !== e.id) continue;
      counts[r.status] += Number(r.n);
      known += Number(r.n);
    }
    counts.unknown += Number(total) - known;
    return { environment: e.name, counts };
  });
  const totals = zero();
  for (const e of perEnv) for (const s of DRIFT_STATUSES) totals[s] += e.counts[s];
  return { services: Number(total), environments: perEnv, totals };
}

/** The board: services × environments with each pair's status, a page of services at a time (keyset on name). */
export async function getDriftBoard({ principal, input, tx }: UseCaseArgs<DriftBoardInput>) {
  const q = driftBoardInput.parse(input);
  authorize(principal, "drift:read");
  const db = await reader(tx);
  const envs = await visibleEnvironments(db, principal);
  const envIds = envs.map((e) => e.id);
  const withStatus =
    q.status && q.status !== "unknown" && envIds.length
      ? exists(
          db
            .select({ one: sql`1` })
            .from(driftStatus)
            .where(and(eq(driftStatus.serviceId, services.id), eq(driftStatus.status, q.status), inArray(driftStatus.environmentId, envIds))),
        )
      : undefined;
  const page = await db
    .select({ id: services.id, name: services.name })
    .from(services)
    .where(and(q.cursor ? gt(services.name, q.cursor) : undefined, q.q ? ilike(services.name, `%${q.q.replace(/[%_\\]/g, "\\$&")}%`) : undefined, withStatus))
    .orderBy(asc(services.name))
    .limit(q.limit + 1);
  const more = page.length > q.limit;
  const items = page.slice(0, q.limit);
  const rows = items.length && envIds.length
    ? await db
        .select({ serviceId: driftStatus.serviceId, environmentId: driftStatus.environmentId, status: driftStatus.status, since: driftStatus.since, driftCount: driftStatus.driftCount, lastReportAt: driftStatus.lastReportAt, acknowledgedAt: driftStatus.acknowledgedAt })
        .from(driftStatus)
        .where(and(inArray(driftStatus.serviceId, items.map((s) => s.id)), inArray(driftStatus.environmentId, envIds)))
    : [];
  const cell = new Map(rows.map((r) => [`${r.serviceId}/${r.environmentId}`, r]));
  const list = items
    .map((s) => ({
      service: s.name,
      cells: envs.map((e) => {
        const r = cell.get(`${s.id}/${e.id}`);
        return {
          environment: e.name,
          status: (r?.status ?? "unknown") as DriftStatusName,
          since: r?.since.toISOString() ?? null,
          driftCount: r?.driftCount ?? 0,
          lastReportAt: r?.lastReportAt?.toISOString() ?? null,
          acknowledged: Boolean(r?.acknowledgedAt),
        };
      }),
    }))
    // "unknown" is the absence of a row, so that filter is applied here.
    .filter((s) => q.status !== "unknown" || s.cells.some((c) => c.status === "unknown"));
  const summary = await getDriftSummary({ principal, input: undefined, tx: db });
  return {
    environments: envs.map((e) => e.name),
    items: list,
    nextCursor: more ? items.at(-1)!.name : null,
    summary,
  };
}

/** One service's drift status per environment (the service page's badge). */
export async function getServiceDrift({ principal, input, tx }: UseCaseArgs<{ service: string }>) {
  authorize(principal, "drift:read", { service: input.service });
  const db = await reader(tx);
  const envs = await visibleEnvironments(db, principal);
  const rows = await db
    .select({ environment: environments.name, status: driftStatus.status, driftCount: driftStatus.driftCount })
    .from(driftStatus)
    .innerJoin(services, eq(services.id, driftStatus.serviceId))
    .innerJoin(environments, eq(environments.id, driftStatus.environmentId))
    .where(eq(services.name, input.service));
  return envs.map((e) => {
    const r = rows.find((x) => x.environment === e.name);
    return { environment: e.name, status: (r?.status ?? "unknown") as DriftStatusName, driftCount: r?.driftCount ?? 0 };
  });
}
