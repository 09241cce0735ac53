CREATE TABLE "health_alert_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"environment_id" uuid,
	"on_status_change" boolean DEFAULT true NOT NULL,
	"on_incident" boolean DEFAULT true NOT NULL,
	"suppress_minutes" integer DEFAULT 10 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "health_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"target" text NOT NULL,
	"method" text DEFAULT 'GET' NOT NULL,
	"expected_status_min" integer DEFAULT 200 NOT NULL,
	"expected_status_max" integer DEFAULT 299 NOT NULL,
	"timeout_ms" integer DEFAULT 5000 NOT NULL,
	"json_path" text,
	"json_expected" text,
	"header_name" text,
	"header_value" text,
	"degraded_ms" integer,
	"interval_seconds" integer DEFAULT 30 NOT NULL,
	"failure_threshold" integer DEFAULT 3 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"next_run_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp (3) with time zone,
	"status" text DEFAULT 'unknown' NOT NULL,
	"status_since" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"last_checked_at" timestamp (3) with time zone,
	"last_latency_ms" integer,
	"last_error" text,
	"last_alert_at" timestamp (3) with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "health_incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"check_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"opened_at" timestamp (3) with time zone NOT NULL,
	"closed_at" timestamp (3) with time zone,
	"failures" integer NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "health_results" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"check_id" uuid NOT NULL,
	"checked_at" timestamp (3) with time zone NOT NULL,
	"status" text NOT NULL,
	"latency_ms" integer NOT NULL,
	"status_code" integer,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "health_rollups" (
	"check_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"total" integer NOT NULL,
	"up" integer NOT NULL,
	"degraded" integer NOT NULL,
	"down" integer NOT NULL,
	"latency_p50" integer NOT NULL,
	"latency_p95" integer NOT NULL,
	CONSTRAINT "health_rollups_check_id_hour_pk" PRIMARY KEY("check_id","hour")
);
--> statement-breakpoint
ALTER TABLE "environments" ADD COLUMN "soak_minutes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "health_alert_rules" ADD CONSTRAINT "health_alert_rules_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_checks" ADD CONSTRAINT "health_checks_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_checks" ADD CONSTRAINT "health_checks_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_incidents" ADD CONSTRAINT "health_incidents_check_id_health_checks_id_fk" FOREIGN KEY ("check_id") REFERENCES "public"."health_checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_incidents" ADD CONSTRAINT "health_incidents_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_incidents" ADD CONSTRAINT "health_incidents_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_results" ADD CONSTRAINT "health_results_check_id_health_checks_id_fk" FOREIGN KEY ("check_id") REFERENCES "public"."health_checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_rollups" ADD CONSTRAINT "health_rollups_check_id_health_checks_id_fk" FOREIGN KEY ("check_id") REFERENCES "public"."health_checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "health_checks_name_key" ON "health_checks" USING btree ("service_id","environment_id","name");--> statement-breakpoint
CREATE INDEX "health_checks_due_idx" ON "health_checks" USING btree ("next_run_at");--> statement-breakpoint
CREATE UNIQUE INDEX "health_incidents_one_open_key" ON "health_incidents" USING btree ("check_id") WHERE "health_incidents"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "health_incidents_service_idx" ON "health_incidents" USING btree ("service_id","opened_at");--> statement-breakpoint
CREATE INDEX "health_incidents_opened_idx" ON "health_incidents" USING btree ("opened_at");--> statement-breakpoint
CREATE INDEX "health_results_check_time_idx" ON "health_results" USING btree ("check_id","checked_at");--> statement-breakpoint
CREATE INDEX "health_results_time_idx" ON "health_results" USING btree ("checked_at");--> statement-breakpoint
CREATE INDEX "health_rollups_hour_idx" ON "health_rollups" USING btree ("hour");