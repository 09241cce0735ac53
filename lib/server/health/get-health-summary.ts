import "server-only";
import { and, count, eq, inArray, isNull } from "drizzle-orm";
import { healthChecks, healthIncidents } from "@/drizzle/schema";
import { can, type Principal } from "@/lib/auth/permissions";
import type { DbOrTx } from "@/lib/db/client";
import { readableEnvironments } from "./visible";

export interface EnvHealthSummary {
  environment: string;
  up: number;
  degraded: number;
  down: number;
  unknown: number;
  openIncidents: number;
}

/** Check counts by status and open incidents per environment, for the overview; null without health:read. */
export async function getHealthSummary(db: DbOrTx, principal: Principal): Promise<EnvHealthSummary[] | null> {
  if (!can(principal, "health:read")) return null;
  const envs = await readableEnvironments(db, principal);
  if (envs.length === 0) return [];
  const ids = envs.map((e) => e.id);
  const byStatus = await db
    .select({ env: healthChecks.environmentId, status: healthChecks.status, n: count() })
    .from(healthChecks)
    .where(and(inArray(healthChecks.environmentId, ids), eq(healthChecks.enabled, true)))
    .groupBy(healthChecks.environmentId, healthChecks.status);
  const open = await db
    .select({ env: healthIncidents.environmentId, n: count() })
    .from(healthIncidents)
    .where(and(inArray(healthIncidents.environmentId, ids), isNull(healthIncidents.closedAt)))
    .groupBy(healthIncidents.environmentId);
  return envs.map((e) => {
    const s: EnvHealthSummary = { environment: e.name, up: 0, degraded: 0, down: 0, unknown: 0, openIncidents: 0 };
    for (const r of byStatus) if (r.env === e.id) s[r.status] += Number(r.n);
    s.openIncidents = Number(open.find((o) => o.env === e.id)?.n ?? 0);
    return s;
  });
}
