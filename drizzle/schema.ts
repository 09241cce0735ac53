// All tables of Nexus, in one place. Migrations in drizzle/migrations are generated from this file.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const environments = pgTable("environments", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  position: integer("position").notNull(),
  protected: boolean("protected").notNull().default(false),
  requiredApprovals: integer("required_approvals").notNull().default(0),
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
