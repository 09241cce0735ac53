import "server-only";
import { sql } from "drizzle-orm";
import { createHash } from "node:crypto";
import { ChainVerifier, type ChainVerdict } from "@/lib/domain/audit-chain";
import { canonicalJson, sha256Hex } from "@/lib/domain/canonical-json";
import { decryptSecret } from "@/lib/domain/secret-crypto";
import { rowsOf, type Transaction } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/permissions";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type RequestMeta } from "../context";
import { ServiceError } from "../errors";
import { notifyConfigChanged, notifyTokensChanged } from "../events/notify";
import { masterKey, secretAad } from "../secrets/master-key";
import { openEndpointSecret } from "../webhooks/endpoint-secret";
import { appliedMigrations, BUNDLE_FORMAT, BUNDLE_VERSION, type BundleHeader, type BundleTrailer } from "./bundle";
import { includedTables, type IncludedTable } from "./tables";

const RESTORE_LOCK = 7_164_031;
const INSERT_BATCH = 500;

/**
 * What a fresh boot (and people signing in to it) writes, which a restore may replace: sign-in
 * records, the NEXUS_BOOTSTRAP_TOKEN token and the audit events of those two. Anything else means
 * the instance holds data, and a restore is refused (409).
 */
export const BOOT_AUDIT_ACTIONS = ["user.signed_in", "token.created"] as const;

export interface RestoreReport {
  dryRun: boolean;
  restored: boolean;
  ok: boolean;
  bundle: { format: string | null; version: number | null; createdAt: string | null; migrations: number | null; thisInstanceMigrations: number };
  counts: Record<string, number>;
  target: { empty: boolean; blockers: string[]; replaced: { users: number; tokens: number; auditEvents: number } };
  integrity: {
    checksum: "ok" | "mismatch" | "missing";
    auditChain: ChainVerdict | null;
    revisionHashes: { checked: number; mismatches: string[] };
    schemaHashes: { checked: number; mismatches: string[] };
    masterKey: "opens the bundle's secrets" | "does not open the bundle's secrets" | "no sealed secret in the bundle";
  };
  problems: string[];
}

class DryRunDone extends Error {
  constructor(readonly report: RestoreReport) {
    super("dry run");
  }
}

/**
 * Restores a bundle into an empty instance, in one transaction: everything or nothing. With
 * `dryRun` the same work runs and is rolled back, and the report says what would have happened.
 * Integrity is checked as rows arrive: the trailer's SHA-256 and counts, every revision's hash
 * against its content, the audit chain, and that this instance's NEXUS_MASTER_KEY opens the secrets.
 */
export async function restoreBackup({ principal, input, meta }: { principal: Principal; input: { lines: AsyncIterable<string>; dryRun: boolean }; meta?: RequestMeta }): Promise<RestoreReport> {
  authorize(principal, "settings:manage");
  try {
    return await withTransaction(undefined, async (t) => {
      const report = await restoreInto(t, principal, input.lines, input.dryRun, meta);
      if (input.dryRun || !report.ok) throw new DryRunDone(report);
      return report;
    });
  } catch (e) {
    if (!(e instanceof DryRunDone)) throw e;
    if (input.dryRun) return e.report;
    throw new ServiceError(e.report.target.blockers.length > 0 ? "conflict" : "invalid", restoreRefusal(e.report), { report: e.report });
  }
}

function restoreRefusal(r: RestoreReport): string {
  if (r.target.blockers.length > 0) {
    return `This instance is not empty (${r.target.blockers.join("; ")}): a backup is restored into a new, empty instance only. Nothing was changed.`;
  }
  return `The backup was not restored: ${r.problems.join("; ")}. Nothing was changed.`;
}

async function restoreInto(t: Transaction, principal: Principal, lines: AsyncIterable<string>, dryRun: boolean, meta?: RequestMeta): Promise<RestoreReport> {
  await t.execute(sql`select pg_advisory_xact_lock(${RESTORE_LOCK})`);
  const tables = includedTables();
  const byName = new Map(tables.map((x) => [x.name, x]));
  const report: RestoreReport = {
    dryRun,
    restored: false,
    ok: false,
    bundle: { format: null, version: null, createdAt: null, migrations: null, thisInstanceMigrations: await appliedMigrations(t) },
    counts: {},
    target: { empty: true, blockers: await blockers(t, tables), replaced: { users: 0, tokens: 0, auditEvents: 0 } },
    integrity: { checksum: "missing", auditChain: null, revisionHashes: { checked: 0, mismatches: [] }, schemaHashes: { checked: 0, mismatches: [] }, masterKey: "no sealed secret in the bundle" },
    problems: [],
  };
  report.target.empty = report.target.blockers.length === 0;
  const write = report.target.empty;
  if (write) report.target.replaced = await clearBootRows(t);

  const hash = createHash("sha256");
  const chain = new ChainVerifier();
  let header: BundleHeader | null = null;
  let trailer: BundleTrailer | null = null;
  let head: { seq: number; hash: string; count: number } | null = null;
  let keyChecked = false;
  const batch = new Map<string, Record<string, unknown>[]>();
  let lastTable = -1;

  const flush = async (name: string) => {
    const rows = batch.get(name);
    if (!rows?.length || !write) return void batch.delete(name);
    const table = byName.get(name)!;
    const cols = header!.tables.find((x) => x.name === name)!.columns.map((c) => `"${c}"`).join(", ");
    await t.execute(sql`${sql.raw(`insert into "${name}" (${cols}) select ${cols} from json_populate_recordset(null::"${table.name}", `)}${JSON.stringify(rows)}${sql.raw("::json)")}`);
    batch.delete(name);
  };

  for await (const line of lines) {
    if (trailer) {
      report.problems.push("there is data after the end of the bundle");
      break;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      report.problems.push(`line ${Object.values(report.counts).reduce((a, b) => a + b, 0) + 2} is not JSON: the bundle is damaged`);
      break;
    }
    if (!header) {
      header = parsed as BundleHeader;
      hash.update(`${line}\n`);
      const problem = checkHeader(header, report, byName);
      if (problem) {
        report.problems.push(problem);
        break;
      }
      continue;
    }
    const p = parsed as { t?: string; r?: Record<string, unknown>; end?: boolean } & Partial<BundleTrailer>;
    if (p.end === true) {
      trailer = p as BundleTrailer;
      continue;
    }
    hash.update(`${line}\n`);
    const name = p.t ?? "";
    const index = tables.findIndex((x) => x.name === name);
    if (index < 0 || !p.r) {
      report.problems.push(`the bundle holds rows of an unknown table "${name}"`);
      break;
    }
    if (index < lastTable) {
      report.problems.push(`rows of ${name} come after rows of a table that depends on it: the bundle is out of order`);
      break;
    }
    if (index > lastTable && lastTable >= 0) await flush(tables[lastTable]!.name);
    lastTable = index;
    report.counts[name] = (report.counts[name] ?? 0) + 1;
    const row = p.r;
    checkRow(name, row, byName.get(name)!, report, chain, () => keyChecked, () => (keyChecked = true));
    if (name === "audit_chain_head") head = { seq: Number(row.seq), hash: String(row.hash), count: Number(row.count) };
    const rows = batch.get(name) ?? [];
    rows.push(row);
    batch.set(name, rows);
    if (rows.length >= INSERT_BATCH) await flush(name);
  }
  if (lastTable >= 0) await flush(tables[lastTable]!.name);

  if (!header) report.problems.push("the bundle is empty");
  else if (!trailer) report.problems.push("the bundle ends before its trailer: it is truncated");
  if (trailer) {
    report.integrity.checksum = trailer.sha256 === hash.digest("hex") ? "ok" : "mismatch";
    if (report.integrity.checksum === "mismatch") report.problems.push("the bundle's SHA-256 does not match its content: it was altered or damaged");
    for (const [name, n] of Object.entries(trailer.counts ?? {})) {
      if ((report.counts[name] ?? 0) !== n) report.problems.push(`${name}: the trailer says ${n} rows, the bundle holds ${report.counts[name] ?? 0}`);
    }
  }
  if (header && trailer) {
    report.integrity.auditChain = chain.finish(head);
    if (!report.integrity.auditChain.ok) report.problems.push(`the audit chain does not verify: ${report.integrity.auditChain.reason}`);
  }
  const { revisionHashes: rh, schemaHashes: sh } = report.integrity;
  if (rh.mismatches.length > 0) report.problems.push(`${rh.mismatches.length} config revision(s) do not match their hash`);
  if (sh.mismatches.length > 0) report.problems.push(`${sh.mismatches.length} schema revision(s) do not match their hash`);
  if (report.integrity.masterKey === "does not open the bundle's secrets") {
    report.problems.push("this instance's NEXUS_MASTER_KEY does not open the bundle's secrets: start it with the key of the instance the backup came from");
  }
  if (report.target.blockers.length > 0) report.problems.push(`this instance is not empty: ${report.target.blockers.join("; ")}`);
  report.ok = report.problems.length === 0;
  if (!report.ok || !write) return report;

  await resetSequences(t, tables);
  report.restored = !dryRun;
  await recordAuditEvent(t, principal, {
    action: "backup.restored",
    targetType: "platform",
    targetId: "backup",
    before: report.target.replaced,
    after: { bundleCreatedAt: header!.createdAt, version: header!.version, counts: report.counts, auditChainHead: head?.hash ?? null },
  }, meta);
  await notifyConfigChanged(t, { service: null, env: null });
  await notifyTokensChanged(t);
  return report;
}

function checkHeader(h: BundleHeader, report: RestoreReport, byName: Map<string, IncludedTable>): string | null {
  report.bundle = { ...report.bundle, format: h?.format ?? null, version: h?.version ?? null, createdAt: h?.createdAt ?? null, migrations: h?.migrations ?? null };
  if (h?.format !== BUNDLE_FORMAT) return "this is not a Nexus backup (no nexus-backup header)";
  if (h.version !== BUNDLE_VERSION) return `the bundle has format version ${h.version}; this Nexus restores version ${BUNDLE_VERSION}`;
  if (h.migrations > report.bundle.thisInstanceMigrations) {
    return `the bundle comes from a newer Nexus (schema ${h.migrations}, this one has ${report.bundle.thisInstanceMigrations}): upgrade this instance first`;
  }
  for (const t of h.tables ?? []) {
    const ours = byName.get(t.name);
    if (!ours) return `the bundle holds table ${t.name}, which this Nexus does not back up`;
    const unknown = t.columns.filter((c) => !ours.columns.includes(c));
    if (unknown.length > 0) return `column(s) ${unknown.join(", ")} of ${t.name} are unknown to this Nexus`;
  }
  return null;
}

/** Per-row integrity: revision hashes, the audit chain, and whether this instance's master key opens secrets. */
function checkRow(name: string, row: Record<string, unknown>, table: IncludedTable, report: RestoreReport, chain: ChainVerifier, keyChecked: () => boolean, markKey: () => void) {
  if (name === "config_revisions") {
    report.integrity.revisionHashes.checked += 1;
    if (sha256Hex(canonicalJson(row.value)) !== row.hash) report.integrity.revisionHashes.mismatches.push(String(row.id));
  } else if (name === "schema_revisions") {
    report.integrity.schemaHashes.checked += 1;
    if (sha256Hex(canonicalJson(row.schema)) !== row.hash) report.integrity.schemaHashes.mismatches.push(String(row.id));
  } else if (name === "audit_events") {
    const camel: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) camel[table.keys[k] ?? k] = v;
    camel.occurredAt = new Date(String(row.occurred_at)).toISOString();
    camel.seq = Number(row.seq);
    chain.push(camel as unknown as Parameters<ChainVerifier["push"]>[0]);
  } else if (!keyChecked() && name === "secret_versions" && typeof row.ciphertext === "string") {
    markKey();
    report.integrity.masterKey = opens(() =>
      decryptSecret(masterKey(), row.ciphertext as string, secretAad(String(row.service_id), String(row.environment_id), String(row.name), Number(row.version))),
    );
  } else if (!keyChecked() && name === "webhook_endpoints") {
    markKey();
    report.integrity.masterKey = opens(() => openEndpointSecret({ id: String(row.id), secretVersion: Number(row.secret_version), secretCiphertext: String(row.secret_ciphertext) }));
  }
}

function opens(fn: () => unknown): RestoreReport["integrity"]["masterKey"] {
  try {
    fn();
    return "opens the bundle's secrets";
  } catch {
    return "does not open the bundle's secrets";
  }
}

async function count(t: Transaction, text: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await t.execute(sql.raw(`select count(*)::int as n from ${text}`)));
  return Number(row?.n ?? 0);
}

/** What keeps this instance from counting as empty. */
async function blockers(t: Transaction, tables: IncludedTable[]): Promise<string[]> {
  const out: string[] = [];
  for (const table of tables) {
    if (["users", "audit_events", "audit_chain_head", "api_tokens"].includes(table.name)) continue;
    const n = await count(t, `"${table.name}"`);
    if (n > 0) out.push(`${table.name} holds ${n} row${n === 1 ? "" : "s"}`);
  }
  const tokens = await count(t, `api_tokens where not (name = 'bootstrap' and prefix = 'bootstrp')`);
  if (tokens > 0) out.push(`api_tokens holds ${tokens} token(s) besides the bootstrap token`);
  const actions = BOOT_AUDIT_ACTIONS.map((a) => `'${a}'`).join(", ");
  const events = await count(t, `audit_events where action not in (${actions}) or (action = 'token.created' and actor_kind <> 'system')`);
  if (events > 0) out.push(`audit_events holds ${events} event(s) besides sign-ins and the bootstrap token`);
  return out;
}

/** Removes what a fresh boot wrote (sign-ins, the bootstrap token, their audit events): the bundle's trail replaces it. */
async function clearBootRows(t: Transaction) {
  const replaced = { users: await count(t, "users"), tokens: await count(t, "api_tokens"), auditEvents: await count(t, "audit_events") };
  if (replaced.auditEvents > 0) {
    // The append-only trigger is lifted for this one statement, inside the restore's transaction.
    await t.execute(sql.raw("alter table audit_events disable trigger audit_events_no_update_delete"));
    await t.execute(sql.raw("delete from audit_events"));
    await t.execute(sql.raw("alter table audit_events enable trigger audit_events_no_update_delete"));
  }
  await t.execute(sql.raw("delete from audit_chain_head"));
  await t.execute(sql.raw("delete from api_tokens"));
  await t.execute(sql.raw("delete from users"));
  return replaced;
}

/** Serial columns continue after the restored rows (audit seq, change request numbers). */
async function resetSequences(t: Transaction, tables: IncludedTable[]) {
  for (const table of tables) {
    const cols = rowsOf<{ column_name: string }>(
      await t.execute(sql`select column_name from information_schema.columns where table_schema = 'public' and table_name = ${table.name} and column_default like 'nextval(%'`),
    );
    for (const { column_name: col } of cols) {
      await t.execute(sql.raw(`select setval(pg_get_serial_sequence('"${table.name}"', '${col}'), coalesce((select max("${col}") from "${table.name}"), 0) + 1, false)`));
    }
  }
}
