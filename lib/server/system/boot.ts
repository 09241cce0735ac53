import "server-only";
import { getDatabaseHandle } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { followDemoPorts } from "@/lib/db/demo-health";
import { seedDemo } from "@/lib/db/seed";
import { log } from "@/lib/log";
import { ensureBootstrapToken } from "../tokens/ensure-bootstrap-token";

/** Everything that must hold before the first request: migrated schema, demo data, bootstrap token. */
export async function bootDatabase({ seed }: { seed: boolean }): Promise<{ seeded: boolean }> {
  const handle = await getDatabaseHandle();
  await runMigrations(handle);
  const seeded = seed ? await seedDemo(handle.db) : false;
  if (seeded) log.info("seeded the demo platform into an empty database");
  if (seed) {
    const moved = await followDemoPorts(handle.db);
    if (moved > 0) log.info({ moved }, "demo health checks now point at this start's PORT");
  }
  const bootstrap = process.env.NEXUS_BOOTSTRAP_TOKEN;
  if (bootstrap) {
    const outcome = await ensureBootstrapToken(bootstrap);
    if (outcome === "revoked") log.warn("NEXUS_BOOTSTRAP_TOKEN matches a revoked token; it stays revoked");
    else log.info({ outcome }, "bootstrap admin token is present");
  }
  return { seeded };
}
