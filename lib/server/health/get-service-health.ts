import "server-only";
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { z } from "zod";
import { healthIncidents } from "@/drizzle/schema";
import { mttrMs, uptimePercent } from "@/lib/domain/health";
import { findService } from "../configs/lookup";
import { authorize, reader, type UseCaseArgs } from "../context";
import { resourceName } from "../tokens/token-schemas";
import { listIncidents } from "./list-incidents";
import { countsByCheck, dailyUptime, latencySeries, RANGES } from "./queries";
import { checkView } from "./view";
import { checksWithNames, readableEnvironments } from "./visible";
import { healthChecks } from "@/drizzle/schema";

export const serviceHealthInput = z.object({
  service: resourceName,
  range: z.enum(RANGES).default("24h"),
  /** The check whose latency is charted; the first one when left out. */
  check: z.uuid().optional(),
});

/**
 * One service's health: its checks per environment with 24 h and range uptime, the latency p50/p95
 * of one check over the range, uptime per day over 30 days, incidents and MTTR.
 */
export async function getServiceHealth({ principal, input, tx }: UseCaseArgs<z.input<typeof serviceHealthInput>>, now = new Date()) {
  const q = serviceHealthInput.parse(input);
  authorize(principal, "health:read", { service: q.service });
  const db = await reader(tx);
  const service = await findService(db, q.service);
  const envs = await readableEnvironments(db, principal);
  const rows = await checksWithNames(db, new Set(envs.map((e) => e.id)), eq(healthChecks.serviceId, service.id));
  const ids = rows.map((r) => r.check.id);
  const [day, range] = await Promise.all([countsByCheck(db, ids, "24h", now), countsByCheck(db, ids, q.range, now)]);
  const checks = rows.map(({ check, service: s, environment }) => ({
    ...checkView(check, s, environment),
    uptime24h: uptimePercent(day.get(check.id) ?? { total: 0, down: 0 }),
    uptimeRange: uptimePercent(range.get(check.id) ?? { total: 0, down: 0 }),
  }));
  const selected = checks.find((c) => c.id === q.check) ?? checks.find((c) => c.status === "down") ?? checks[0] ?? null;
  const series = selected ? await latencySeries(db, selected.id, q.range, now) : { points: [], bucketSeconds: 0 };
  const daily = selected ? await dailyUptime(db, [selected.id], 30, now) : [];
  const incidents = await listIncidents({ principal, input: { service: service.name, limit: 20 }, tx: db }, now);
  const closed = ids.length
    ? await db
        .select({ openedAt: healthIncidents.openedAt, closedAt: healthIncidents.closedAt })
        .from(healthIncidents)
        .where(and(inArray(healthIncidents.checkId, ids), isNotNull(healthIncidents.closedAt)))
    : [];
  return {
    service: service.name,
    description: service.description,
    range: q.range,
    environments: envs.map((e) => e.name),
    checks,
    selected: selected?.id ?? null,
    latency: series.points,
    bucketSeconds: series.bucketSeconds,
    daily,
    incidents: incidents.items,
    mttrMs: mttrMs(closed),
    generatedAt: now.toISOString(),
  };
}
export type ServiceHealth = Awaited<ReturnType<typeof getServiceHealth>>;
