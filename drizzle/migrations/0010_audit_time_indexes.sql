DROP INDEX "audit_events_actor_idx";--> statement-breakpoint
DROP INDEX "audit_events_action_idx";--> statement-breakpoint
DROP INDEX "audit_events_service_idx";--> statement-breakpoint
DROP INDEX "audit_events_environment_idx";--> statement-breakpoint
CREATE INDEX "audit_events_actor_time_idx" ON "audit_events" USING btree ("actor_id","occurred_at","seq");--> statement-breakpoint
CREATE INDEX "audit_events_action_time_idx" ON "audit_events" USING btree ("action","occurred_at","seq");--> statement-breakpoint
CREATE INDEX "audit_events_service_time_idx" ON "audit_events" USING btree ("service","occurred_at","seq");--> statement-breakpoint
CREATE INDEX "audit_events_environment_time_idx" ON "audit_events" USING btree ("environment","occurred_at","seq");--> statement-breakpoint
CREATE INDEX "audit_events_service_env_time_idx" ON "audit_events" USING btree ("service","environment","occurred_at","seq");