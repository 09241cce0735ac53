import "server-only";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { parse, stringify } from "yaml";
import { z } from "zod";
import {
  configLayers,
  configRevisions,
  environmentVariables,
  environments,
  policies,
  schemaRevisions,
  secretVersions,
  services,
  type LayerKind,
} from "@/drizzle/schema";
import { canonicalJson, sha256Hex } from "@/lib/domain/canonical-json";
import type { ConfigObject } from "@/lib/domain/config-value";
import { encryptSecret } from "@/lib/domain/secret-crypto";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { SYSTEM, withTransaction } from "@/lib/server/context";
import { masterKey, secretAad } from "@/lib/server/secrets/master-key";
import type { Database, Transaction } from "./client";
import { seedDemoHealth } from "./demo-health";
import { seedDemoDrift } from "@/lib/server/drift/seed-demo-drift";

const obj = z.record(z.string(), z.unknown());
const demoFile = z.object({
  environments: z.array(z.object({ name: z.string(), protected: z.boolean(), requiredApprovals: z.number().int() })),
  shared_template: obj,
  environment_overlays: z.record(z.string(), obj),
  services: z.array(z.object({ name: z.string(), description: z.string(), health: z.string().optional() })),
  policies: z.array(z.object({ name: z.string(), environments: z.array(z.string()), severity: z.enum(["error", "warning"]), rule: z.string() })),
  users: z.array(z.object({ login: z.string(), groups: z.array(z.string()) })),
});

export type DemoPlatform = z.infer<typeof demoFile>;

export function loadDemoPlatform(): DemoPlatform {
  const file = path.join(process.cwd(), "lib", "db", "demo-platform.yaml");
  return demoFile.parse(parse(readFileSync(file, "utf8")));
}

/** The demo's policy rules, written as JSON Schema fragments (PRODUCT.md capability 4). */
const POLICY_RULES: Record<string, object> = {
  "prod-db-ssl": { properties: { database: { properties: { ssl: { const: true } }, required: ["ssl"] } }, required: ["database"] },
  "prod-no-debug-logs": { properties: { monitoring: { properties: { log_level: { not: { const: "DEBUG" } } } } } },
  "prod-login-attempts": { properties: { security: { properties: { max_login_attempts: { type: "integer", maximum: 5 } } } } },
  "staging-log-level": { properties: { monitoring: { properties: { log_level: { enum: ["INFO", "WARNING", "ERROR", "CRITICAL"] } } } } },
};

const BACKEND_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  required: ["application", "database"],
  properties: {
    database: {
      type: "object",
      required: ["host", "port", "ssl"],
      properties: {
        host: { type: "string", minLength: 1 },
        port: { type: "integer", minimum: 1, maximum: 65535 },
        ssl: { type: "boolean" },
        max_connections: { type: "integer", minimum: 1, maximum: 1000 },
        password: { type: "string" },
      },
    },
    monitoring: { type: "object", properties: { log_level: { enum: ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] } } },
    security: { type: "object", properties: { max_login_attempts: { type: "integer", minimum: 1 } } },
  },
};

const REGION: Record<string, string> = { development: "local", staging: "eu-west-1", production: "eu-west-1" };

/**
 * Seeds the demo platform of PRODUCT.md, once: only when the database has no environment yet.
 * Returns false when there was something already (nothing is touched then).
 */
export async function seedDemo(db: Database): Promise<boolean> {
  const demo = loadDemoPlatform();
  return withTransaction(db, async (t) => {
    const [row] = await t.select({ n: count() }).from(environments);
    if ((row?.n ?? 0) > 0) return false;
    const envRows = await t.insert(environments).values(demo.environments.map((e, i) => ({ ...e, position: i }))).returning();
    const svcRows = await t
      .insert(services)
      .values(demo.services.map((s) => ({ name: s.name, description: s.description, owner: "platform-team", tags: tagsOf(s.name) })))
      .returning();

    await seedRevision(t, { kind: "shared", serviceId: null, environmentId: null }, demo.shared_template as ConfigObject);
    for (const svc of svcRows) {
      const base: ConfigObject = { service: { name: "${service.name}", description: svc.description, region: "${var:REGION}" } };
      if (svc.name === "nexus-backend") base.database = { password: "${secret:db-password}" };
      await seedRevision(t, { kind: "base", serviceId: svc.id, environmentId: null }, base);
      for (const env of envRows) {
        await seedRevision(t, { kind: "overlay", serviceId: svc.id, environmentId: env.id }, (demo.environment_overlays[env.name] ?? {}) as ConfigObject);
      }
    }
    await t.insert(environmentVariables).values(envRows.map((e) => ({ environmentId: e.id, name: "REGION", value: REGION[e.name] ?? "local", updatedBy: SYSTEM.name })));

    const backend = svcRows.find((s) => s.name === "nexus-backend");
    if (backend) {
      await t.insert(schemaRevisions).values({
        serviceId: backend.id, number: 1, schema: BACKEND_SCHEMA, hash: sha256Hex(canonicalJson(BACKEND_SCHEMA)),
        authorId: SYSTEM.id, authorName: SYSTEM.name, message: "Demo schema",
      });
      // Random per installation: the demo shows secrets without any known secret value.
      for (const env of envRows) {
        const ciphertext = encryptSecret(masterKey(), randomBytes(18).toString("base64url"), secretAad(backend.id, env.id, "db-password", 1));
        await t.insert(secretVersions).values({ serviceId: backend.id, environmentId: env.id, name: "db-password", version: 1, ciphertext, createdBy: SYSTEM.name });
      }
    }
    await t.insert(policies).values(
      demo.policies.map((p) => ({ name: p.name, description: p.rule, environments: p.environments, severity: p.severity, rule: POLICY_RULES[p.name] ?? {} })),
    );
    await seedDemoHealth(t, envRows, svcRows.map((s) => ({ ...s, health: demo.services.find((d) => d.name === s.name)?.health })));
    await seedDemoDrift(t);
    await recordAuditEvent(t, SYSTEM, {
      action: "demo.seeded",
      targetType: "platform",
      targetId: "demo",
      after: {
        environments: demo.environments.map((e) => e.name),
        services: demo.services.map((s) => s.name),
        policies: demo.policies.map((p) => p.name),
      },
    });
    return true;
  });
}

async function seedRevision(t: Transaction, scope: { kind: LayerKind; serviceId: string | null; environmentId: string | null }, value: ConfigObject) {
  const [layer] = await t.insert(configLayers).values(scope).returning();
  const [rev] = await t
    .insert(configRevisions)
    .values({
      layerId: layer!.id, number: 1, format: "yaml", source: stringify(value), value,
      hash: sha256Hex(canonicalJson(value)), authorId: SYSTEM.id, authorName: SYSTEM.name, message: "Imported from the demo platform",
    })
    .returning();
  await t.update(configLayers).set({ headRevisionId: rev!.id, headNumber: 1 }).where(eq(configLayers.id, layer!.id));
}

function tagsOf(name: string): string[] {
  if (["postgres", "redis", "elk", "vault"].includes(name)) return ["data"];
  if (["prometheus", "grafana", "performance-service"].includes(name)) return ["observability"];
  if (["api-gateway", "service-discovery"].includes(name)) return ["edge"];
  return ["app"];
}
