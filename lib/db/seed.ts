import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";
import { count } from "drizzle-orm";
import { parse } from "yaml";
import { z } from "zod";
import { environments, services } from "@/drizzle/schema";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { SYSTEM, withTransaction } from "@/lib/server/context";
import type { Database } from "./client";

const demoFile = z.object({
  environments: z.array(z.object({ name: z.string(), protected: z.boolean(), requiredApprovals: z.number().int() })),
  services: z.array(z.object({ name: z.string(), description: z.string(), health: z.string().optional() })),
  users: z.array(z.object({ login: z.string(), groups: z.array(z.string()) })),
});

export type DemoPlatform = z.infer<typeof demoFile>;

export function loadDemoPlatform(): DemoPlatform {
  const file = path.join(process.cwd(), "lib", "db", "demo-platform.yaml");
  return demoFile.parse(parse(readFileSync(file, "utf8")));
}

/**
 * Seeds the demo platform of PRODUCT.md, once: only when the database has no environment yet.
 * Returns false when there was something already (nothing is touched then).
 */
export async function seedDemo(db: Database): Promise<boolean> {
  const demo = loadDemoPlatform();
  return withTransaction(db, async (t) => {
    const [row] = await t.select({ n: count() }).from(environments);
    if ((row?.n ?? 0) > 0) return false;
    await t.insert(environments).values(demo.environments.map((e, i) => ({ ...e, position: i })));
    await t.insert(services).values(
      demo.services.map((s) => ({ name: s.name, description: s.description, owner: "platform-team", tags: [] })),
    );
    await recordAuditEvent(t, SYSTEM, {
      action: "demo.seeded",
      targetType: "platform",
      targetId: "demo",
      after: { environments: demo.environments.map((e) => e.name), services: demo.services.map((s) => s.name) },
    });
    return true;
  });
}
