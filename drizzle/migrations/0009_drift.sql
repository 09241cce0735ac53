CREATE TABLE "drift_episodes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"service_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"began_at" timestamp (3) with time zone NOT NULL,
	"ended_at" timestamp (3) with time zone,
	"ended_as" text,
	"paths" jsonb NOT NULL,
	"max_count" integer NOT NULL,
	"desired_hash" text
);
--> statement-breakpoint
CREATE TABLE "drift_ignore_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"environment_id" uuid,
	"pattern" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "drift_ignore_rules_key" UNIQUE NULLS NOT DISTINCT("service_id","environment_id","pattern")
);
--> statement-breakpoint
CREATE TABLE "drift_remediations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"desired_hash" text,
	"outcome" text NOT NULL,
	"http_status" integer,
	"detail" text DEFAULT '' NOT NULL,
	"change_request_id" uuid,
	"actor_id" text NOT NULL,
	"actor_name" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drift_settings" (
	"environment_id" uuid PRIMARY KEY NOT NULL,
	"stale_after_seconds" integer DEFAULT 3600 NOT NULL,
	"rollout_deadline_seconds" integer DEFAULT 600 NOT NULL,
	"auto_remediate" boolean DEFAULT false NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drift_targets" (
	"service_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"pull_url" text,
	"pull_auth_sealed" text,
	"pull_interval_seconds" integer DEFAULT 300 NOT NULL,
	"next_pull_at" timestamp (3) with time zone,
	"last_pull_at" timestamp (3) with time zone,
	"last_pull_error" text,
	"deploy_hook_url" text,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "drift_targets_service_id_environment_id_pk" PRIMARY KEY("service_id","environment_id")
);
--> statement-breakpoint
CREATE TABLE "observed_configs" (
	"service_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"value" jsonb NOT NULL,
	"hashed_paths" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"hash" text NOT NULL,
	"source" text NOT NULL,
	"reported_by" text NOT NULL,
	"reported_at" timestamp (3) with time zone NOT NULL,
	"changed_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "observed_configs_service_id_environment_id_pk" PRIMARY KEY("service_id","environment_id")
);
--> statement-breakpoint
ALTER TABLE "drift_status" ADD COLUMN "desired_key" text;--> statement-breakpoint
ALTER TABLE "drift_status" ADD COLUMN "desired_hash" text;--> statement-breakpoint
ALTER TABLE "drift_status" ADD COLUMN "desired_revisions" jsonb;--> statement-breakpoint
ALTER TABLE "drift_status" ADD COLUMN "observed_hash" text;--> statement-breakpoint
ALTER TABLE "drift_status" ADD COLUMN "last_report_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "drift_status" ADD COLUMN "paths" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "drift_status" ADD COLUMN "drift_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "drift_status" ADD COLUMN "rules_key" text;--> statement-breakpoint
ALTER TABLE "drift_status" ADD COLUMN "awaiting_until" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "drift_status" ADD COLUMN "scanned_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "drift_status" ADD COLUMN "scan_due_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "drift_episodes" ADD CONSTRAINT "drift_episodes_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_episodes" ADD CONSTRAINT "drift_episodes_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_ignore_rules" ADD CONSTRAINT "drift_ignore_rules_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_ignore_rules" ADD CONSTRAINT "drift_ignore_rules_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_remediations" ADD CONSTRAINT "drift_remediations_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_remediations" ADD CONSTRAINT "drift_remediations_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_settings" ADD CONSTRAINT "drift_settings_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_targets" ADD CONSTRAINT "drift_targets_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_targets" ADD CONSTRAINT "drift_targets_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observed_configs" ADD CONSTRAINT "observed_configs_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observed_configs" ADD CONSTRAINT "observed_configs_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "drift_episodes_pair_idx" ON "drift_episodes" USING btree ("service_id","environment_id","began_at");--> statement-breakpoint
CREATE UNIQUE INDEX "drift_episodes_open_key" ON "drift_episodes" USING btree ("service_id","environment_id") WHERE ended_at is null;--> statement-breakpoint
CREATE INDEX "drift_remediations_pair_idx" ON "drift_remediations" USING btree ("service_id","environment_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "drift_remediations_auto_once_key" ON "drift_remediations" USING btree ("service_id","environment_id","desired_hash") WHERE kind = 'auto_reapply';--> statement-breakpoint
CREATE INDEX "drift_targets_next_pull_idx" ON "drift_targets" USING btree ("next_pull_at");--> statement-breakpoint
CREATE INDEX "drift_status_scan_due_idx" ON "drift_status" USING btree ("scan_due_at");