import "server-only";
import { getTableColumns } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import * as schema from "@/drizzle/schema";

/**
 * What a backup holds, table by table, in restore order (a table after those it references).
 * Every table of drizzle/schema.ts is listed, included or not, with the reason; a test fails when a
 * new table is not. Configuration is included; results, logs and queues are not.
 */
export interface BackupTable {
  name: string;
  include: boolean;
  /** ORDER BY of the dump (the primary key): a stable order, and the audit chain's own. */
  orderBy?: string;
  why: string;
}

export const BACKUP_TABLES: readonly BackupTable[] = [
  { name: "environments", include: true, why: "pipeline, protection, approval rules" },
  { name: "services", include: true, why: "the catalogue" },
  { name: "users", include: true, why: "names the audit trail and the console show" },
  // Token hashes are included: after a disaster recovery every agent and CI token keeps working.
  // A hash is SHA-256 of 256 random bits (not reversible); the bundle is as sensitive as the database.
  { name: "api_tokens", include: true, why: "tokens' metadata and hashes" },
  { name: "config_layers", include: true, why: "layers and their heads" },
  { name: "config_revisions", include: true, orderBy: "layer_id, number", why: "every revision of every layer" },
  { name: "schema_revisions", include: true, orderBy: "service_id, number", why: "JSON Schemas" },
  { name: "environment_variables", include: true, why: "${var:…} values" },
  { name: "secret_versions", include: true, why: "secrets, still sealed under NEXUS_MASTER_KEY" },
  { name: "policies", include: true, why: "compliance rules" },
  { name: "change_requests", include: true, orderBy: "number", why: "promotion history the audit trail refers to" },
  { name: "change_request_items", include: true, why: "what each change request changes" },
  { name: "change_request_decisions", include: true, why: "approvals and rejections" },
  { name: "change_request_comments", include: true, why: "review discussion" },
  { name: "webhook_endpoints", include: true, why: "webhook configuration (signing secrets sealed)" },
  { name: "health_checks", include: true, why: "health check definitions (configuration)" },
  { name: "health_alert_rules", include: true, why: "health alerting configuration" },
  { name: "drift_settings", include: true, orderBy: "environment_id", why: "drift settings per environment" },
  { name: "drift_targets", include: true, orderBy: "service_id, environment_id", why: "pull URLs and deploy hooks (credentials sealed)" },
  { name: "drift_ignore_rules", include: true, why: "ignored drift paths" },
  { name: "audit_events", include: true, orderBy: "seq", why: "the hash-chained audit trail" },
  { name: "audit_chain_head", include: true, why: "the chain head, so a truncated chain is detected" },
  // Not backed up: results, runtime state and queues, rebuilt by the running system.
  { name: "drift_status", include: false, why: "drift scan results" },
  { name: "observed_configs", include: false, why: "what services reported running (reported again)" },
  { name: "drift_episodes", include: false, why: "drift history (results)" },
  { name: "drift_remediations", include: false, why: "remediation attempts (results; the audit trail keeps who did what)" },
  { name: "health_results", include: false, why: "probe results" },
  { name: "health_rollups", include: false, why: "probe result rollups" },
  { name: "health_incidents", include: false, why: "health results" },
  { name: "outbox_events", include: false, why: "event queue (delivered or expired)" },
  { name: "webhook_deliveries", include: false, why: "delivery log" },
  { name: "webhook_attempts", include: false, why: "delivery log" },
  { name: "backup_runs", include: false, why: "log of scheduled backups" },
];

/** Every drizzle table of the schema, by SQL name. */
export function schemaTables(): Map<string, PgTable> {
  const out = new Map<string, PgTable>();
  for (const v of Object.values(schema)) if (v instanceof PgTable) out.set(getTableConfig(v).name, v);
  return out;
}

export interface IncludedTable {
  name: string;
  orderBy: string;
  columns: string[];
  /** SQL column name → drizzle property name (to read rows the way the use cases do). */
  keys: Record<string, string>;
}

/** The included tables that exist in this schema, with their columns, in restore order. */
export function includedTables(): IncludedTable[] {
  const tables = schemaTables();
  return BACKUP_TABLES.filter((t) => t.include && tables.has(t.name)).map((t) => {
    const cfg = getTableConfig(tables.get(t.name)!);
    const keys: Record<string, string> = {};
    for (const [key, col] of Object.entries(getTableColumns(tables.get(t.name)!))) keys[col.name] = key;
    return { name: t.name, orderBy: t.orderBy ?? "id", columns: cfg.columns.map((c) => c.name), keys };
  });
}
