import "server-only";
import { isNull } from "drizzle-orm";
import { healthIncidents } from "@/drizzle/schema";
import { uptimePercent, type CheckStatus } from "@/lib/domain/health";
import { authorize, reader, type UseCaseArgs } from "../context";
import { countsByCheck } from "./queries";
import { checksWithNames, readableEnvironments } from "./visible";
import { checkView, type CheckView } from "./view";

const WORST: CheckStatus[] = ["down", "degraded", "unknown", "up"];

/** The worst status of a set of checks (down beats degraded beats unknown beats up). */
export function worstStatus(statuses: CheckStatus[]): CheckStatus | null {
  if (statuses.length === 0) return null;
  return WORST.find((s) => statuses.includes(s)) ?? "unknown";
}

export interface BoardCell {
  status: CheckStatus | null;
  uptime24h: number | null;
  checks: number;
  openIncidents: number;
}

/** The health board: services × environments with the current status and 24 h uptime of each cell. */
export async function getHealthBoard({ principal, tx }: UseCaseArgs<void>, now = new Date()) {
  authorize(principal, "health:read");
  const db = await reader(tx);
  const envs = await readableEnvironments(db, principal);
  const rows = await checksWithNames(db, new Set(envs.map((e) => e.id)));
  const counts = await countsByCheck(db, rows.map((r) => r.check.id), "24h", now);
  const open = await db.select({ checkId: healthIncidents.checkId }).from(healthIncidents).where(isNull(healthIncidents.closedAt));
  const openSet = new Set(open.map((o) => o.checkId));

  const services = new Map<string, { service: string; cells: Record<string, BoardCell>; checks: (CheckView & { uptime24h: number | null; incidentOpen: boolean })[] }>();
  for (const { check, service, environment } of rows) {
    const entry = services.get(service) ?? { service, cells: {}, checks: [] };
    services.set(service, entry);
    const c = counts.get(check.id) ?? { total: 0, down: 0, degraded: 0 };
    entry.checks.push({ ...checkView(check, service, environment), uptime24h: uptimePercent(c), incidentOpen: openSet.has(check.id) });
  }
  for (const entry of services.values()) {
    for (const env of envs) {
      const checks = entry.checks.filter((c) => c.environment === env.name && c.enabled);
      const total = checks.reduce((s, c) => s + (counts.get(c.id)?.total ?? 0), 0);
      const down = checks.reduce((s, c) => s + (counts.get(c.id)?.down ?? 0), 0);
      entry.cells[env.name] = {
        status: worstStatus(checks.map((c) => c.status)),
        uptime24h: uptimePercent({ total, down }),
        checks: checks.length,
        openIncidents: checks.filter((c) => c.incidentOpen).length,
      };
    }
  }
  return { environments: envs.map((e) => e.name), services: [...services.values()], generatedAt: now.toISOString() };
}
export type HealthBoard = Awaited<ReturnType<typeof getHealthBoard>>;
