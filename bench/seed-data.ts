// Seeds the benchmark platform straight into the tables, the way lib/db/seed.ts seeds the demo:
// 3 environments, N services, a shared template, a base layer per service and an overlay per
// service × environment, each a real revision (source, parsed value, canonical hash). The
// resolved config of each service × environment has about 200 keys, with ${env.name},
// ${service.name} and ${var:REGION} to interpolate, so a cache miss does the real work.
import { sql } from "drizzle-orm";
import { configLayers, configRevisions, environmentVariables, environments, services } from "@/drizzle/schema";
import { canonicalJson, sha256Hex } from "@/lib/domain/canonical-json";
import type { ConfigObject } from "@/lib/domain/config-value";
import type { Database } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { SYSTEM } from "@/lib/server/context";

export const BENCH_ENVIRONMENTS = ["development", "staging", "production"] as const;
const REGION: Record<string, string> = { development: "local", staging: "eu-west-1", production: "eu-central-1" };
const BATCH = 500;

export const serviceName = (i: number) => `svc-${String(i).padStart(4, "0")}`;

// About 20 leaf keys.
function sharedTemplate(): ConfigObject {
  const features: ConfigObject = {};
  for (let i = 1; i <= 10; i++) features[`feature_${i}`] = i % 3 !== 0;
  return {
    application: { platform: "NEXUS Platform", version: "1.0.0", environment: "${env.name}" },
    features,
    limits: { max_file_size: "100MB", max_requests_per_minute: 1000, max_body_kb: 1024, burst: 50 },
    telemetry: { enabled: true, sample_rate: 0.1, exporter: "otlp" },
  };
}

// About 120 leaf keys.
function baseLayer(i: number): ConfigObject {
  const flags: ConfigObject = {};
  for (let f = 1; f <= 50; f++) flags[`flag_${String(f).padStart(3, "0")}`] = (i + f) % 4 === 0;
  const endpoints: ConfigObject = {};
  for (let e = 1; e <= 30; e++) endpoints[`endpoint_${String(e).padStart(2, "0")}`] = `https://\${service.name}.internal.example/api/v${(e % 3) + 1}/resource-${e}`;
  const upstreams: ConfigObject = {};
  for (let u = 1; u <= 10; u++) upstreams[`upstream_${u}`] = { host: `svc-${String((i + u) % 1000).padStart(4, "0")}.mesh`, port: 8000 + u };
  return {
    service: { name: "${service.name}", region: "${var:REGION}", owner: `team-${i % 17}`, tier: i % 5 === 0 ? "critical" : "standard" },
    http: { port: 8080, read_timeout_ms: 5000, write_timeout_ms: 5000, idle_timeout_ms: 60000, max_header_kb: 16 },
    database: { name: `db_${i}`, port: 5432, pool: { min: 2, max: 20, idle_ms: 10000 } },
    feature_flags: flags,
    endpoints,
    upstreams,
    tags: ["bench", `group-${i % 10}`],
  };
}

// About 60 leaf keys.
function overlay(i: number, env: string): ConfigObject {
  const tuning: ConfigObject = {};
  for (let t = 1; t <= 45; t++) tuning[`param_${String(t).padStart(2, "0")}`] = (i * 31 + t * 7 + env.length) % 1000;
  return {
    database: { host: "${service.name}-db.${env.name}.example", ssl: env !== "development", replicas: env === "production" ? 3 : 1 },
    logging: { level: env === "production" ? "WARNING" : env === "staging" ? "INFO" : "DEBUG", format: "json", sink: "stdout" },
    scaling: { min_replicas: env === "production" ? 3 : 1, max_replicas: env === "production" ? 30 : 3, cpu_target: 70 },
    tuning,
  };
}

function revisionRow(layerId: string, value: ConfigObject) {
  return {
    layerId,
    number: 1,
    format: "json" as const,
    source: JSON.stringify(value, null, 2),
    value,
    hash: sha256Hex(canonicalJson(value)),
    authorId: SYSTEM.id,
    authorName: SYSTEM.name,
    message: "Seeded by npm run bench",
  };
}

async function inBatches<T>(rows: T[], write: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += BATCH) await write(rows.slice(i, i + BATCH));
}

/** Seeds an empty, migrated database; returns the service names. */
export async function seedBenchPlatform(db: Database, serviceCount: number): Promise<string[]> {
  return db.transaction(async (t) => {
    const envRows = await t
      .insert(environments)
      .values(BENCH_ENVIRONMENTS.map((name, position) => ({ name, position, protected: name === "production", requiredApprovals: name === "production" ? 2 : 0 })))
      .returning();
    await t.insert(environmentVariables).values(envRows.map((e) => ({ environmentId: e.id, name: "REGION", value: REGION[e.name]!, updatedBy: SYSTEM.name })));

    const names = Array.from({ length: serviceCount }, (_, i) => serviceName(i));
    const svcRows: (typeof services.$inferSelect)[] = [];
    await inBatches(names, async (batch) => {
      svcRows.push(...(await t.insert(services).values(batch.map((name) => ({ name, description: `Benchmark service ${name}`, owner: "bench", tags: ["bench"] }))).returning()));
    });

    type Scope = { kind: "shared" | "base" | "overlay"; serviceId: string | null; environmentId: string | null; value: ConfigObject };
    const scopes: Scope[] = [{ kind: "shared", serviceId: null, environmentId: null, value: sharedTemplate() }];
    svcRows.forEach((s, i) => {
      scopes.push({ kind: "base", serviceId: s.id, environmentId: null, value: baseLayer(i) });
      for (const e of envRows) scopes.push({ kind: "overlay", serviceId: s.id, environmentId: e.id, value: overlay(i, e.name) });
    });
    await inBatches(scopes, async (batch) => {
      const layers = await t
        .insert(configLayers)
        .values(batch.map(({ kind, serviceId, environmentId }) => ({ kind, serviceId, environmentId })))
        .returning({ id: configLayers.id, kind: configLayers.kind, serviceId: configLayers.serviceId, environmentId: configLayers.environmentId });
      // RETURNING order is not promised: pair rows by scope.
      const key = (l: { kind: string; serviceId: string | null; environmentId: string | null }) => `${l.kind}/${l.serviceId}/${l.environmentId}`;
      const ids = new Map(layers.map((l) => [key(l), l.id]));
      await t.insert(configRevisions).values(batch.map((s) => revisionRow(ids.get(key(s))!, s.value)));
    });
    await t.execute(sql`update config_layers l set head_revision_id = r.id, head_number = 1 from config_revisions r where r.layer_id = l.id`);
    await recordAuditEvent(t, SYSTEM, {
      action: "bench.seeded",
      targetType: "platform",
      targetId: "bench",
      after: { services: serviceCount, environments: [...BENCH_ENVIRONMENTS] },
    });
    return names;
  });
}
