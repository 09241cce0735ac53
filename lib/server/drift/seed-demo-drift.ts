import "server-only";
import { and, eq } from "drizzle-orm";
import { environments, services } from "@/drizzle/schema";
import type { ConfigObject } from "@/lib/domain/config-value";
import type { Transaction } from "@/lib/db/client";
import { SYSTEM } from "../context";
import { loadDesiredHeads, pairKey, resolveDesired } from "./desired";
import { recordObservation } from "./report-observed";

/**
 * The demo's one sample drift, so that a new user's drift board is not empty: performance-service
 * "reports" from staging a config with more workers than the SSOT says. It is recorded as an
 * observation whose source is "demo", by "demo seed", never as if a real service had sent it.
 */
export async function seedDemoDrift(t: Transaction): Promise<void> {
  const [row] = await t
    .select({ serviceId: services.id, environmentId: environments.id, service: services, environment: environments })
    .from(services)
    .innerJoin(environments, eq(environments.name, "staging"))
    .where(and(eq(services.name, "performance-service")));
  if (!row) return;
  const pair = { serviceId: row.serviceId, environmentId: row.environmentId };
  const desired = (await resolveDesired(t, [...(await loadDesiredHeads(t, [pair])).values()])).get(pairKey(pair));
  if (!desired || "error" in desired) return;
  const observed = structuredClone(desired.value) as ConfigObject & { performance?: ConfigObject };
  observed.performance = { ...observed.performance, max_workers: 12 };
  await recordObservation(t, { ...SYSTEM, name: "demo seed" }, { service: row.service, environment: row.environment, value: observed, source: "demo" }, undefined, { audit: false });
}
