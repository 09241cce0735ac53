// npm run bench -- backup: backup and restore of a 1,000-service instance (issue 7; issue 8's target
// is recovery under 5 minutes). For the embedded database (on disk) and for PostgreSQL when it
// answers on 127.0.0.1:5432: seed 1,000 services × 3 environments with history (5 revisions of
// every production overlay, 5,000 chained audit events), write a gzip bundle to disk, then restore
// it into a new, empty database (dry run, then the restore) and check what came back.
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createGzip } from "node:zlib";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { openDatabase, rowsOf, useDatabase as installDatabase, type DatabaseHandle, type DatabaseTarget } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { canonicalJson, sha256Hex } from "@/lib/domain/canonical-json";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { verifyAuditChain } from "@/lib/server/audit/verify-audit-chain";
import { bundleLines } from "@/lib/server/backup/bundle";
import { writeBundle } from "@/lib/server/backup/create-backup";
import { restoreBackup } from "@/lib/server/backup/restore-backup";
import { SYSTEM } from "@/lib/server/context";
import { machine, writeSection } from "./results-file";
import { seedBenchPlatform } from "./seed-data";

const SERVICES = Number(process.env.BENCH_SERVICES ?? 1000);
const AUDIT_EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 5000);
const EXTRA_REVISIONS = 4;
const PG_ADMIN = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TARGET_MS = 5 * 60_000;

interface Figures {
  database: string;
  rows: number;
  revisions: number;
  audit: number;
  bytes: number;
  seedMs: number;
  backupMs: number;
  dryRunMs: number;
  restoreMs: number;
  verified: string;
}

async function postgresAnswers(): Promise<boolean> {
  const s = postgres(PG_ADMIN, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await s`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await s.end({ timeout: 1 }).catch(() => {});
  }
}

async function newDatabase(kind: "pglite" | "postgres", tmp: string, name: string): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> }> {
  let target: DatabaseTarget;
  let drop = async () => {};
  if (kind === "pglite") {
    target = { kind: "pglite", dir: path.join(tmp, name) };
  } else {
    const db = `nexus_bench_${name}_${randomBytes(3).toString("hex")}`;
    const admin = postgres(PG_ADMIN, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${db}`);
    await admin.end();
    const url = new URL(PG_ADMIN);
    url.pathname = `/${db}`;
    target = { kind: "postgres", url: url.toString() };
    drop = async () => {
      const a = postgres(PG_ADMIN, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${db} with (force)`);
      await a.end();
    };
  }
  const handle = await openDatabase(target);
  await runMigrations(handle);
  return { handle, drop };
}

/** History beyond the seed: more revisions of every production overlay, and a long audit trail. */
async function addHistory(h: DatabaseHandle) {
  await h.db.transaction(async (t) => {
    const layers = rowsOf<{ id: string; head_number: number; value: string }>(
      await t.execute(sql`select l.id, l.head_number, r.value::text as value from config_layers l join environments e on e.id = l.environment_id join config_revisions r on r.id = l.head_revision_id where e.name = 'production'`),
    );
    for (let n = 2; n <= EXTRA_REVISIONS + 1; n++) {
      for (let i = 0; i < layers.length; i += 500) {
        const batch = layers.slice(i, i + 500).map((l) => {
          const value = { ...(JSON.parse(l.value) as Record<string, unknown>), release: `r${n}` };
          return { layerId: l.id, number: n, format: "json" as const, source: JSON.stringify(value, null, 2), value, hash: sha256Hex(canonicalJson(value)), authorId: "bench", authorName: "bench", message: `release r${n}` };
        });
        const { configRevisions } = await import("@/drizzle/schema");
        await t.insert(configRevisions).values(batch);
      }
    }
    await t.execute(sql`update config_layers l set head_revision_id = r.id, head_number = r.number from config_revisions r where r.layer_id = l.id and r.number = ${EXTRA_REVISIONS + 1}`);
    for (let i = 0; i < AUDIT_EVENTS; i++) {
      await recordAuditEvent(t, { ...SYSTEM, name: "bench" }, { action: "config.saved", targetType: "layer", targetId: layers[i % layers.length]!.id, service: `svc-${String(i % SERVICES).padStart(4, "0")}`, environment: "production", after: { revision: 2 + (i % EXTRA_REVISIONS), note: "bench history" } });
    }
  });
}

async function count(h: DatabaseHandle, table: string): Promise<number> {
  const [r] = rowsOf<{ n: number }>(await h.db.execute(sql.raw(`select count(*)::int as n from ${table}`)));
  return Number(r!.n);
}

async function runOne(kind: "pglite" | "postgres"): Promise<Figures> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "nexus-bench-backup-"));
  const file = path.join(tmp, "bundle.ndjson.gz");
  const source = await newDatabase(kind, tmp, "source");
  const target = await newDatabase(kind, tmp, "target");
  try {
    let t0 = performance.now();
    await seedBenchPlatform(source.handle.db, SERVICES);
    await addHistory(source.handle);
    const seedMs = performance.now() - t0;
    console.log(`  ${kind}: seeded ${SERVICES} services in ${(seedMs / 1000).toFixed(1)} s`);

    t0 = performance.now();
    const gzip = createGzip();
    const out = createWriteStream(file);
    const closed = new Promise<void>((resolve, reject) => out.on("close", resolve).on("error", reject));
    gzip.pipe(out);
    const trailer = await writeBundle(source.handle.db, (text) => new Promise<void>((resolve) => (gzip.write(text) ? resolve() : gzip.once("drain", resolve))));
    gzip.end();
    await closed;
    const backupMs = performance.now() - t0;
    const rows = Object.values(trailer.counts).reduce((a, b) => a + b, 0);
    console.log(`  ${kind}: backup of ${rows.toLocaleString("en")} rows in ${(backupMs / 1000).toFixed(1)} s, ${(statSync(file).size / 2 ** 20).toFixed(1)} MiB gzip`);

    installDatabase(target.handle);
    t0 = performance.now();
    const dry = await restoreBackup({ principal: SYSTEM, input: { lines: bundleLines(createReadStream(file)), dryRun: true } });
    const dryRunMs = performance.now() - t0;
    if (!dry.ok) throw new Error(`dry run refused: ${dry.problems.join("; ")}`);
    t0 = performance.now();
    const done = await restoreBackup({ principal: SYSTEM, input: { lines: bundleLines(createReadStream(file)), dryRun: false } });
    const restoreMs = performance.now() - t0;
    console.log(`  ${kind}: dry run ${(dryRunMs / 1000).toFixed(1)} s, restore ${(restoreMs / 1000).toFixed(1)} s`);

    const verdict = await verifyAuditChain({ principal: SYSTEM, input: undefined });
    const revs = `select md5(string_agg(id::text || hash, ',' order by id)) as h from config_revisions`;
    const [a] = rowsOf<{ h: string }>(await source.handle.db.execute(sql.raw(revs)));
    const [b] = rowsOf<{ h: string }>(await target.handle.db.execute(sql.raw(revs)));
    const same = a!.h === b!.h && done.restored && verdict.ok;
    return {
      database: kind === "pglite" ? "embedded (PGlite, on disk)" : "PostgreSQL",
      rows,
      revisions: await count(target.handle, "config_revisions"),
      audit: await count(target.handle, "audit_events"),
      bytes: statSync(file).size,
      seedMs,
      backupMs,
      dryRunMs,
      restoreMs,
      verified: same ? `yes (chain of ${verdict.checked.toLocaleString("en")} events verifies, revision hashes identical)` : "NO",
    };
  } finally {
    installDatabase(null);
    await source.handle.close();
    await target.handle.close();
    await source.drop();
    await target.drop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function main(): Promise<void> {
  process.env.NEXUS_MASTER_KEY ??= randomBytes(32).toString("base64");
  process.env.LOG_LEVEL ??= "warn";
  const load = os.loadavg().map((x) => x.toFixed(2)).join(", ");
  const figures = [await runOne("pglite")];
  if (await postgresAnswers()) figures.push(await runOne("postgres"));
  else console.log("  PostgreSQL does not answer on 127.0.0.1:5432: embedded database only");

  const table = [
    "| database | rows | revisions | audit events | bundle (gzip) | backup | restore dry run | restore | backup + restore | target (< 5 min) | round trip verified |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...figures.map((f) => {
      const total = f.backupMs + f.restoreMs;
      return `| ${f.database} | ${f.rows.toLocaleString("en")} | ${f.revisions.toLocaleString("en")} | ${f.audit.toLocaleString("en")} | ${(f.bytes / 2 ** 20).toFixed(1)} MiB | ${s(f.backupMs)} | ${s(f.dryRunMs)} | ${s(f.restoreMs)} | ${s(total)} | ${total < TARGET_MS ? "met" : "MISSED"} | ${f.verified} |`;
    }),
  ].join("\n");
  console.log(`\n${table}\n`);
  writeSection(
    "backup",
    `## Backup and restore (\`npm run bench -- backup\`)

Last run: ${new Date().toISOString()}
Machine: ${machine()}
Load average before the run: ${load} (other work on the machine shares the cores)

${SERVICES.toLocaleString("en")} services × 3 environments (≈200 keys per resolved config), ${EXTRA_REVISIONS + 1} revisions of every production
overlay, ${AUDIT_EVENTS.toLocaleString("en")} chained audit events. "backup" streams the bundle (JSON lines) through gzip to a
file on disk; "restore" reads it back into a new, empty database in one transaction, checking the
checksum, every revision hash and the audit chain as it goes (the dry run does the same work and
rolls back). Recovery target (issue 8): under 5 minutes for backup + restore.

${table}`,
  );
}
