import "server-only";
import { eq } from "drizzle-orm";
import { environments, healthChecks, services } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { notFound } from "../errors";

/** A check with its service and environment names; `lock` takes the row FOR UPDATE. */
export async function loadCheck(db: DbOrTx, id: string, lock = false) {
  const q = db
    .select({ check: healthChecks, service: services.name, environment: environments.name })
    .from(healthChecks)
    .innerJoin(services, eq(services.id, healthChecks.serviceId))
    .innerJoin(environments, eq(environments.id, healthChecks.environmentId))
    .where(eq(healthChecks.id, id));
  const [row] = lock ? await q.for("update", { of: healthChecks }) : await q;
  if (!row) throw notFound(`health check ${id}`);
  return row;
}
