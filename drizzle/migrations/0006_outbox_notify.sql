-- Live updates (GET /api/v1/events): every committed outbox row wakes every Nexus instance.
-- The payload is the row id only (NOTIFY payloads are limited to 8 KB, and the row may hold more);
-- a NOTIFY sent inside a transaction is delivered on commit and dropped on rollback.
-- A trigger rather than a call in emitEvent: every writer of the outbox is covered, whoever adds one.
CREATE OR REPLACE FUNCTION outbox_events_notify() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('nexus_events', NEW.id::text);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER outbox_events_notify_insert
  AFTER INSERT ON outbox_events
  FOR EACH ROW EXECUTE FUNCTION outbox_events_notify();
