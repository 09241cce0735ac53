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
    index("audit_events_occurred_at_idx").on(t.occurredAt, t.seq),
    index("audit_events_actor_idx").on(t.actorId, t.seq),
    index("audit_events_action_idx").on(t.action, t.seq),
    index("audit_events_service_idx").on(t.service, t.seq),
    index("audit_events_environment_idx").on(t.environment, t.seq),
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
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.environmentId] })],
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
