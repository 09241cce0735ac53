// All tables of Nexus, in one place. Migrations in drizzle/migrations are generated from this file.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const environments = pgTable("environments", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  position: integer("position").notNull(),
  protected: boolean("protected").notNull().default(false),
  requiredApprovals: integer("required_approvals").notNull().default(0),
  /** Who may approve change requests into this environment (admins always may). */
  approverRoles: jsonb("approver_roles").$type<string[]>().notNull().default(sql`'["approver"]'::jsonb`),
  /** Whether an admin may apply without the missing approvals, with a written reason. */
  allowBypass: boolean("allow_bypass").notNull().default(false),
  /**
   * Verified promotion (issue 6): minutes the source environment must have run the promoted
   * revisions in sync and healthy before a change request into this environment passes. 0: off.
   */
  soakMinutes: integer("soak_minutes").notNull().default(0),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const services = pgTable("services", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  description: text("description").notNull().default(""),
  owner: text("owner").notNull().default(""),
  tags: jsonb("tags").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** People who signed in through SSO; kept so the audit trail and the console can name them. */
export const users = pgTable("users", {
  id: text("id").primaryKey(), // the OIDC subject
  login: text("login").notNull(),
  name: text("name").notNull(),
  email: text("email"),
  groups: jsonb("groups").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }).notNull().defaultNow(),
});

export type RoleName = "viewer" | "operator" | "approver" | "admin";

/** Service-account tokens. Only the SHA-256 of the secret is stored; the prefix is shown to tell tokens apart. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    role: text("role").$type<RoleName>().notNull(),
    scopes: jsonb("scopes").$type<string[]>().notNull(),
    services: jsonb("services").$type<string[] | null>(),
    environments: jsonb("environments").$type<string[] | null>(),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("api_tokens_secret_hash_key").on(t.secretHash), index("api_tokens_created_at_idx").on(t.createdAt)],
);

/**
 * Append-only, hash-chained audit trail. Each row's hash covers the previous row's hash and its own
 * canonical content; a trigger (migration 0001) rejects UPDATE and DELETE.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    id: uuid("id").notNull().unique(),
    occurredAt: timestamp("occurred_at", { withTimezone: true, precision: 3 }).notNull(),
    actorId: text("actor_id").notNull(),
    actorKind: text("actor_kind").$type<"user" | "token" | "system">().notNull(),
    actorName: text("actor_name").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    service: text("service"),
    environment: text("environment"),
    before: jsonb("before"),
    after: jsonb("after"),
    requestId: text("request_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    // The audit list reads newest first by (occurred_at, seq) with a keyset on both; each filter has
    // an index that yields its rows in that order, time range included, so a page reads only what it
    // returns (bench/audit.ts measures it over 1,000,000 events; EXPLAIN in bench/RESULTS.md).
    index("audit_events_occurred_at_idx").on(t.occurredAt, t.seq),
    index("audit_events_actor_time_idx").on(t.actorId, t.occurredAt, t.seq),
    index("audit_events_action_time_idx").on(t.action, t.occurredAt, t.seq),
    index("audit_events_service_time_idx").on(t.service, t.occurredAt, t.seq),
    index("audit_events_environment_time_idx").on(t.environment, t.occurredAt, t.seq),
    index("audit_events_service_env_time_idx").on(t.service, t.environment, t.occurredAt, t.seq),
  ],
);

/**
 * The chain's head, written in the same transaction as each audit event, so that deleting the newest
 * rows (which leaves a shorter but self-consistent chain) is detected too.
 */
export const auditChainHead = pgTable("audit_chain_head", {
  id: integer("id").primaryKey().default(1),
  seq: bigint("seq", { mode: "number" }).notNull(),
  hash: text("hash").notNull(),
  count: bigint("count", { mode: "number" }).notNull(),
});

export type LayerKind = "shared" | "base" | "overlay";
export type SourceFormat = "yaml" | "json" | "env";

/**
 * A configuration layer: the global shared template (no service, no environment), a service's
 * base layer (service only) or a service's environment overlay (both). The head moves on every save,
 * under a row lock, so two saves on one base revision cannot both win.
 */
export const configLayers = pgTable(
  "config_layers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").$type<LayerKind>().notNull(),
    serviceId: uuid("service_id").references(() => services.id, { onDelete: "cascade" }),
    environmentId: uuid("environment_id").references(() => environments.id, { onDelete: "cascade" }),
    headRevisionId: uuid("head_revision_id"),
    headNumber: integer("head_number").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("config_layers_scope_key").on(t.kind, t.serviceId, t.environmentId).nullsNotDistinct()],
);

/** Immutable revisions of a layer: the source as written, its parsed value and the hash of that value. */
export const configRevisions = pgTable(
  "config_revisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    layerId: uuid("layer_id")
      .notNull()
      .references(() => configLayers.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    parentId: uuid("parent_id"),
    format: text("format").$type<SourceFormat>().notNull(),
    source: text("source").notNull(),
    // json, not jsonb: it keeps keys in the order the author wrote them.
    value: json("value").notNull(),
    hash: text("hash").notNull(),
    authorId: text("author_id").notNull(),
    authorName: text("author_name").notNull(),
    message: text("message").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("config_revisions_layer_number_key").on(t.layerId, t.number),
    index("config_revisions_layer_created_idx").on(t.layerId, t.createdAt),
  ],
);

/** Versioned JSON Schema (draft 2020-12) per service; a revision with a null schema removes it. */
export const schemaRevisions = pgTable(
  "schema_revisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    schema: jsonb("schema"),
    hash: text("hash").notNull(),
    authorId: text("author_id").notNull(),
    authorName: text("author_name").notNull(),
    message: text("message").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("schema_revisions_service_number_key").on(t.serviceId, t.number)],
);

/** Variables per environment, referenced from configs as ${var:NAME}. */
export const environmentVariables = pgTable(
  "environment_variables",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    environmentId: uuid("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    value: text("value").notNull(),
    updatedBy: text("updated_by").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("environment_variables_env_name_key").on(t.environmentId, t.name)],
);

/**
 * Secrets per service × environment, one row per version, sealed with AES-256-GCM under
 * NEXUS_MASTER_KEY (the ciphertext is bound to service, environment, name and version).
 * A version with a null ciphertext deletes the secret.
 */
export const secretVersions = pgTable(
  "secret_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    environmentId: uuid("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    version: integer("version").notNull(),
    ciphertext: text("ciphertext"),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("secret_versions_key").on(t.serviceId, t.environmentId, t.name, t.version)],
);

/** Compliance rules as JSON Schema fragments, scoped to environments (and optionally services). */
export const policies = pgTable("policies", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  description: text("description").notNull().default(""),
  environments: jsonb("environments").$type<string[]>().notNull(),
  services: jsonb("services").$type<string[] | null>(),
  severity: text("severity").$type<"error" | "warning">().notNull(),
  rule: jsonb("rule").notNull(),
  /** Bumped on every change; the audit trail keeps each version's before and after. */
  version: integer("version").notNull().default(1),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type CrStateName = "draft" | "in_review" | "approved" | "applied" | "rejected" | "cancelled" | "failed" | "outdated";

/** A proposal to change one environment: a promotion from the previous one, an edit, or a revert. */
export const changeRequests = pgTable(
  "change_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: serial("number").notNull().unique(),
    kind: text("kind").$type<"promotion" | "edit" | "revert">().notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    sourceEnvironmentId: uuid("source_environment_id").references(() => environments.id),
    targetEnvironmentId: uuid("target_environment_id")
      .notNull()
      .references(() => environments.id),
    state: text("state").$type<CrStateName>().notNull(),
    /** Bumped whenever the proposed content changes; approvals hold for one version only. */
    contentVersion: integer("content_version").notNull().default(1),
    authorId: text("author_id").notNull(),
    authorName: text("author_name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    scheduledAt: timestamp("scheduled_at", { withTimezone: true }),
    appliedAt: timestamp("applied_at", { withTimezone: true }),
    appliedBy: text("applied_by"),
    /** Who applied it (principal id): whoever bypassed approvals may not also review that bypass. */
    appliedById: text("applied_by_id"),
    bypassReason: text("bypass_reason"),
    bypassReviewedAt: timestamp("bypass_reviewed_at", { withTimezone: true }),
    bypassReviewedBy: text("bypass_reviewed_by"),
    revertsId: uuid("reverts_id"),
    failureReason: text("failure_reason"),
  },
  (t) => [index("change_requests_state_idx").on(t.state, t.createdAt), index("change_requests_scheduled_idx").on(t.scheduledAt)],
);

/** One service's part of a change request: what its target overlay becomes, and from which head. */
export const changeRequestItems = pgTable(
  "change_request_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    changeRequestId: uuid("change_request_id")
      .notNull()
      .references(() => changeRequests.id, { onDelete: "cascade" }),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id),
    layerId: uuid("layer_id")
      .notNull()
      .references(() => configLayers.id),
    /** The target's head when the request was made (or last refreshed); apply requires it unchanged. */
    baseRevisionId: uuid("base_revision_id"),
    /** For promotions: the source overlay's head that is being promoted. */
    sourceRevisionId: uuid("source_revision_id"),
    format: text("format").$type<SourceFormat>().notNull(),
    source: text("source").notNull(),
    value: json("value").notNull(),
    appliedRevisionId: uuid("applied_revision_id"),
  },
  (t) => [index("change_request_items_cr_idx").on(t.changeRequestId)],
);

export const changeRequestDecisions = pgTable(
  "change_request_decisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    changeRequestId: uuid("change_request_id")
      .notNull()
      .references(() => changeRequests.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    userName: text("user_name").notNull(),
    decision: text("decision").$type<"approve" | "reject">().notNull(),
    contentVersion: integer("content_version").notNull(),
    comment: text("comment").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("change_request_decisions_once_key").on(t.changeRequestId, t.userId, t.contentVersion)],
);

export const changeRequestComments = pgTable(
  "change_request_comments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    changeRequestId: uuid("change_request_id")
      .notNull()
      .references(() => changeRequests.id, { onDelete: "cascade" }),
    authorId: text("author_id").notNull(),
    authorName: text("author_name").notNull(),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index("change_request_comments_cr_idx").on(t.changeRequestId, t.createdAt)],
);

/** Drift per service × environment (filled by the drift scanner); promotions check it. */
export const driftStatus = pgTable(
  "drift_status",
  {
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    environmentId: uuid("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    status: text("status").$type<"in_sync" | "drifted" | "unknown" | "stale" | "awaiting_rollout">().notNull(),
    since: timestamp("since", { withTimezone: true }).notNull().defaultNow(),
    acknowledgedBy: text("acknowledged_by"),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    /** What the last scan compared: the desired config's identity (layer heads, variables, secret versions) and hash. */
    desiredKey: text("desired_key"),
    desiredHash: text("desired_hash"),
    /** The layer revisions the desired config came from, for re-apply and the console. */
    desiredRevisions: jsonb("desired_revisions").$type<Record<string, { id: string; number: number } | null>>(),
    observedHash: text("observed_hash"),
    lastReportAt: timestamp("last_report_at", { withTimezone: true, precision: 3 }),
    /** The drifted paths of the last scan (secret values never included). */
    paths: jsonb("paths").$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    driftCount: integer("drift_count").notNull().default(0),
    /** Ignore rules' version the last scan used; a change forces a full rescan. */
    rulesKey: text("rules_key"),
    awaitingUntil: timestamp("awaiting_until", { withTimezone: true, precision: 3 }),
    scannedAt: timestamp("scanned_at", { withTimezone: true, precision: 3 }),
    /** When the scanner should look again (a report, a desired change, staleness); claimed with SKIP LOCKED. */
    scanDueAt: timestamp("scan_due_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.environmentId] }), index("drift_status_scan_due_idx").on(t.scanDueAt)],
);

/** Domain events written in the same transaction as the change; a delivery job sends them on. */
export const outboxEvents = pgTable(
  "outbox_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [index("outbox_events_pending_idx").on(t.deliveredAt, t.id)],
);

// ===================================================================================================
// Health (issue 6): checks per service × environment, their results, hourly rollups, incidents and
// alert rules. The checker claims due checks with next_run_at + lease (FOR UPDATE SKIP LOCKED).
// ===================================================================================================

export type HealthStatus = "unknown" | "up" | "degraded" | "down";

export const healthChecks = pgTable(
  "health_checks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    environmentId: uuid("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind").$type<"http" | "tcp">().notNull(),
    /** http(s) URL, or host:port for TCP. */
    target: text("target").notNull(),
    method: text("method").notNull().default("GET"),
    expectedStatusMin: integer("expected_status_min").notNull().default(200),
    expectedStatusMax: integer("expected_status_max").notNull().default(299),
    timeoutMs: integer("timeout_ms").notNull().default(5000),
    /** Optional JSON expectation: the body's field at this dotted path must equal `jsonExpected`. */
    jsonPath: text("json_path"),
    jsonExpected: text("json_expected"),
    /** Optional request header sent with the probe (e.g. Host, or an API key for a status endpoint). */
    headerName: text("header_name"),
    headerValue: text("header_value"),
    /** Slower than this (but otherwise fine) counts as degraded. */
    degradedMs: integer("degraded_ms"),
    intervalSeconds: integer("interval_seconds").notNull().default(30),
    /** Consecutive failures that open an incident. */
    failureThreshold: integer("failure_threshold").notNull().default(3),
    enabled: boolean("enabled").notNull().default(true),
    nextRunAt: timestamp("next_run_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    leaseUntil: timestamp("lease_until", { withTimezone: true, precision: 3 }),
    status: text("status").$type<HealthStatus>().notNull().default("unknown"),
    statusSince: timestamp("status_since", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    lastCheckedAt: timestamp("last_checked_at", { withTimezone: true, precision: 3 }),
    lastLatencyMs: integer("last_latency_ms"),
    lastError: text("last_error"),
    /** Flap suppression: when the last status alert of this check went out. */
    lastAlertAt: timestamp("last_alert_at", { withTimezone: true, precision: 3 }),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("health_checks_name_key").on(t.serviceId, t.environmentId, t.name),
    index("health_checks_due_idx").on(t.nextRunAt),
  ],
);

/** Raw probe results: append-only, kept 7 days (the retention job rolls them up first). */
export const healthResults = pgTable(
  "health_results",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    checkId: uuid("check_id")
      .notNull()
      .references(() => healthChecks.id, { onDelete: "cascade" }),
    checkedAt: timestamp("checked_at", { withTimezone: true, precision: 3 }).notNull(),
    status: text("status").$type<Exclude<HealthStatus, "unknown">>().notNull(),
    latencyMs: integer("latency_ms").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
  },
  (t) => [index("health_results_check_time_idx").on(t.checkId, t.checkedAt), index("health_results_time_idx").on(t.checkedAt)],
);

/** Hourly rollups of results, kept 90 days: uptime and latency beyond the raw window. */
export const healthRollups = pgTable(
  "health_rollups",
  {
    checkId: uuid("check_id")
      .notNull()
      .references(() => healthChecks.id, { onDelete: "cascade" }),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    total: integer("total").notNull(),
    up: integer("up").notNull(),
    degraded: integer("degraded").notNull(),
    down: integer("down").notNull(),
    latencyP50: integer("latency_p50").notNull(),
    latencyP95: integer("latency_p95").notNull(),
  },
  (t) => [primaryKey({ columns: [t.checkId, t.hour] }), index("health_rollups_hour_idx").on(t.hour)],
);

/** Opened after N consecutive failures of a check, closed by its first success. */
export const healthIncidents = pgTable(
  "health_incidents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    checkId: uuid("check_id")
      .notNull()
      .references(() => healthChecks.id, { onDelete: "cascade" }),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    environmentId: uuid("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    openedAt: timestamp("opened_at", { withTimezone: true, precision: 3 }).notNull(),
    closedAt: timestamp("closed_at", { withTimezone: true, precision: 3 }),
    failures: integer("failures").notNull(),
    lastError: text("last_error"),
  },
  (t) => [
    uniqueIndex("health_incidents_one_open_key").on(t.checkId).where(sql`${t.closedAt} is null`),
    index("health_incidents_service_idx").on(t.serviceId, t.openedAt),
    index("health_incidents_opened_idx").on(t.openedAt),
  ],
);

/** Which health events of an environment (null: every environment) become alerts in the outbox. */
export const healthAlertRules = pgTable("health_alert_rules", {
  id: uuid("id").primaryKey().defaultRandom(),
  environmentId: uuid("environment_id").references(() => environments.id, { onDelete: "cascade" }),
  onStatusChange: boolean("on_status_change").notNull().default(true),
  onIncident: boolean("on_incident").notNull().default(true),
  /** Flap suppression: at most one status alert per check per this many minutes. */
  suppressMinutes: integer("suppress_minutes").notNull().default(10),
  createdBy: text("created_by").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

// ===================================================================================================
// Webhooks and backups (issue 7): outbound webhook endpoints, their deliveries and attempts, and the
// record of scheduled backups. Owned by the webhooks/backup area.
// ===================================================================================================

export type WebhookFormat = "standard" | "slack";
export type WebhookDeliveryStatus = "pending" | "delivered" | "dead";

/**
 * An outbound webhook endpoint. Its signing secret (whsec_…) is sealed with AES-256-GCM under
 * NEXUS_MASTER_KEY, bound to the endpoint id; it is shown once, at creation and on rotation.
 */
export const webhookEndpoints = pgTable("webhook_endpoints", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  url: text("url").notNull(),
  description: text("description").notNull().default(""),
  /** Event types or prefixes ("config.saved", "drift.*", "*"). */
  eventTypes: jsonb("event_types").$type<string[]>().notNull(),
  /** Only events of these services / environments (null: any). */
  services: jsonb("services").$type<string[] | null>(),
  environments: jsonb("environments").$type<string[] | null>(),
  format: text("format").$type<WebhookFormat>().notNull().default("standard"),
  secretCiphertext: text("secret_ciphertext").notNull(),
  secretVersion: integer("secret_version").notNull().default(1),
  enabled: boolean("enabled").notNull().default(true),
  /** Why the endpoint was switched off by Nexus (null when an admin disabled it, or when enabled). */
  disabledReason: text("disabled_reason"),
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  /** The first failed attempt since the last success: failing continuously for 24 h disables it. */
  failingSince: timestamp("failing_since", { withTimezone: true }),
  /** Deliveries given up on in a row (reset by a success). */
  consecutiveDead: integer("consecutive_dead").notNull().default(0),
  lastSuccessAt: timestamp("last_success_at", { withTimezone: true }),
  lastFailureAt: timestamp("last_failure_at", { withTimezone: true }),
  createdBy: text("created_by").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One message to one endpoint. Rows are written in the same transaction that marks the outbox rows
 * dispatched; a sender claims due rows with FOR UPDATE SKIP LOCKED and a lease, so a crash loses
 * nothing and several instances send each once. The body is stored as sent, so retries sign the
 * same bytes under the same webhook-id.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    outboxId: bigint("outbox_id", { mode: "number" }),
    /** The Standard Webhooks message id (webhook-id header); a redelivery keeps it. */
    messageId: text("message_id").notNull(),
    eventType: text("event_type").notNull(),
    body: text("body").notNull(),
    status: text("status").$type<WebhookDeliveryStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, precision: 3 }).notNull(),
    leaseUntil: timestamp("lease_until", { withTimezone: true, precision: 3 }),
    leaseToken: uuid("lease_token"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    redeliveryOf: uuid("redelivery_of"),
    requestedBy: text("requested_by"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [
    // Fan-out is idempotent: one original delivery per endpoint and outbox event.
    uniqueIndex("webhook_deliveries_endpoint_outbox_key").on(t.endpointId, t.outboxId).where(sql`redelivery_of is null and outbox_id is not null`),
    index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt, t.id),
  ],
);

/** Every attempt of a delivery: what the receiver answered, how long it took, or why it failed. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }).notNull(),
    durationMs: integer("duration_ms").notNull(),
    statusCode: integer("status_code"),
    responseExcerpt: text("response_excerpt"),
    error: text("error"),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.attempt)],
);

/** Scheduled backups (NEXUS_BACKUP_DIR): one row per run, so several instances take one backup per interval. */
export const backupRuns = pgTable(
  "backup_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true, precision: 3 }),
    file: text("file"),
    bytes: bigint("bytes", { mode: "number" }),
    error: text("error"),
  },
  (t) => [index("backup_runs_started_idx").on(t.startedAt)],
);

// ─── Drift (issue 5) ─────────────────────────────────────────────────────────────────────────────

/**
 * The newest config a service reported running (push) or Nexus fetched (pull), one row per
 * service × environment. Secret values are kept only as keyed hashes (HMAC under a key derived
 * from NEXUS_MASTER_KEY), at the paths listed in hashed_paths.
 */
export const observedConfigs = pgTable(
  "observed_configs",
  {
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    environmentId: uuid("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    value: jsonb("value").$type<Record<string, unknown>>().notNull(),
    hashedPaths: jsonb("hashed_paths").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    hash: text("hash").notNull(),
    source: text("source").$type<"push" | "pull" | "demo">().notNull(),
    reportedBy: text("reported_by").notNull(),
    reportedAt: timestamp("reported_at", { withTimezone: true, precision: 3 }).notNull(),
    /** Unchanged reports only move reported_at; this says when the content last changed. */
    changedAt: timestamp("changed_at", { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.environmentId] })],
);

/** Drift settings of an environment; a missing row means the defaults. */
export const driftSettings = pgTable("drift_settings", {
  environmentId: uuid("environment_id")
    .primaryKey()
    .references(() => environments.id, { onDelete: "cascade" }),
  staleAfterSeconds: integer("stale_after_seconds").notNull().default(3600),
  rolloutDeadlineSeconds: integer("rollout_deadline_seconds").notNull().default(600),
  autoRemediate: boolean("auto_remediate").notNull().default(false),
  updatedBy: text("updated_by").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Where Nexus pulls a service's observed config from, and the deploy hook that re-applies the desired one. */
export const driftTargets = pgTable(
  "drift_targets",
  {
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    environmentId: uuid("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    pullUrl: text("pull_url"),
    /** The Authorization header value for the pull, sealed like a secret (AES-256-GCM). */
    pullAuthSealed: text("pull_auth_sealed"),
    pullIntervalSeconds: integer("pull_interval_seconds").notNull().default(300),
    nextPullAt: timestamp("next_pull_at", { withTimezone: true, precision: 3 }),
    lastPullAt: timestamp("last_pull_at", { withTimezone: true, precision: 3 }),
    lastPullError: text("last_pull_error"),
    deployHookUrl: text("deploy_hook_url"),
    updatedBy: text("updated_by").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.environmentId] }), index("drift_targets_next_pull_idx").on(t.nextPullAt)],
);

/** Paths a service's drift leaves out: JSON pointers or globs over pointers; null environment: all. */
export const driftIgnoreRules = pgTable(
  "drift_ignore_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    environmentId: uuid("environment_id").references(() => environments.id, { onDelete: "cascade" }),
    pattern: text("pattern").notNull(),
    reason: text("reason").notNull().default(""),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("drift_ignore_rules_key").on(t.serviceId, t.environmentId, t.pattern).nullsNotDistinct()],
);

/** Drift history: one row per episode of drift, from when it began to when it ended, and what it was. */
export const driftEpisodes = pgTable(
  "drift_episodes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    environmentId: uuid("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    beganAt: timestamp("began_at", { withTimezone: true, precision: 3 }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true, precision: 3 }),
    /** The status that ended it (in_sync, stale …). */
    endedAs: text("ended_as"),
    /** The drifted paths, the latest while it lasts (secret values never included). */
    paths: jsonb("paths").$type<unknown[]>().notNull(),
    maxCount: integer("max_count").notNull(),
    desiredHash: text("desired_hash"),
  },
  (t) => [
    index("drift_episodes_pair_idx").on(t.serviceId, t.environmentId, t.beganAt),
    uniqueIndex("drift_episodes_open_key").on(t.serviceId, t.environmentId).where(sql`ended_at is null`),
  ],
);

/** Remediations tried: re-apply (deploy hook), adopt observed, ignore, acknowledge, automatic re-apply. */
export const driftRemediations = pgTable(
  "drift_remediations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    environmentId: uuid("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"reapply" | "auto_reapply" | "adopt" | "ignore" | "acknowledge">().notNull(),
    desiredHash: text("desired_hash"),
    outcome: text("outcome").$type<"pending" | "sent" | "failed" | "opened" | "saved" | "done">().notNull(),
    httpStatus: integer("http_status"),
    detail: text("detail").notNull().default(""),
    changeRequestId: uuid("change_request_id"),
    actorId: text("actor_id").notNull(),
    actorName: text("actor_name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index("drift_remediations_pair_idx").on(t.serviceId, t.environmentId, t.createdAt),
    // Automatic re-apply happens once per desired config, never in a loop.
    uniqueIndex("drift_remediations_auto_once_key").on(t.serviceId, t.environmentId, t.desiredHash).where(sql`kind = 'auto_reapply'`),
  ],
);

