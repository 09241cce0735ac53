import "server-only";
import { asc, eq } from "drizzle-orm";
import { environments, healthChecks, services } from "@/drizzle/schema";
import { can, type Principal } from "@/lib/auth/permissions";
import type { DbOrTx } from "@/lib/db/client";

/** Environments in pipeline order whose health this principal may read. */
export async function readableEnvironments(db: DbOrTx, principal: Principal) {
  const rows = await db.select().from(environments).orderBy(asc(environments.position));
  return rows.filter((e) => can(principal, "health:read", { environment: e.name }));
}

/** Every check with its service and environment names, limited to the environments given. */
export async function checksWithNames(db: DbOrTx, envIds: Set<string>, where?: ReturnType<typeof eq>) {
  const q = db
    .select({ check: healthChecks, service: services.name, environment: environments.name })
    .from(healthChecks)
    .innerJoin(services, eq(services.id, healthChecks.serviceId))
    .innerJoin(environments, eq(environments.id, healthChecks.environmentId))
    .orderBy(asc(services.name), asc(environments.position), asc(healthChecks.name));
  const rows = where ? await q.where(where) : await q;
  return rows.filter((r) => envIds.has(r.check.environmentId));
}
