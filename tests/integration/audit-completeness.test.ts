import { beforeAll, expect, it } from "vitest";
import { seedDemo } from "@/lib/db/seed";
import { commentOnChangeRequest } from "@/lib/server/promotions/manage-change-request";
import { scheduleChangeRequest } from "@/lib/server/promotions/schedule-change-request";
import { describeEachDatabase } from "../helpers/db";
import { admin, alice, editOverlay, olivia, promote } from "../helpers/promotions";
import { query } from "../helpers/rows";

type AuditRow = { action: string; environment: string | null; service: string | null; before: unknown; after: unknown };
type OutboxRow = { type: string; payload: Record<string, unknown> };

describeEachDatabase("audit events and outbox events of change requests name where they apply", (db) => {
  let crId = "";
  beforeAll(async () => {
    await seedDemo(db().db);
    await editOverlay("redis", "development", (s) => `${s}\ncompleteness: 1\n`);
    const cr = await promote(["redis"], "development", "staging", olivia);
    crId = cr.id;
    await commentOnChangeRequest({ principal: alice, input: { id: cr.id, body: "Looks right" } });
    await scheduleChangeRequest({ principal: admin, input: { id: cr.id, at: new Date(Date.now() + 3_600_000).toISOString() } });
    // A direct save of the target outdates the open request.
    await editOverlay("redis", "staging", (s) => `${s}\ncompleteness: 2\n`, admin);
  });

  it("every change_request audit event names its environment and service, with before and after for changes", async () => {
    const rows = await query<AuditRow>(db(), `select action, environment, service, before, after from audit_events where target_id = '${crId}' order by seq`);
    expect(rows.map((r) => r.action)).toEqual(["change_request.opened", "change_request.commented", "change_request.scheduled", "change_request.outdated"]);
    for (const r of rows) {
      expect(r.environment, r.action).toBe("staging");
      expect(r.service, r.action).toBe("redis");
      expect(r.after, r.action).not.toBeNull();
    }
    const outdated = rows.find((r) => r.action === "change_request.outdated")!;
    expect(outdated.before).toMatchObject({ state: "in_review" });
    expect(outdated.after).toMatchObject({ state: "outdated" });
    expect(rows.find((r) => r.action === "change_request.scheduled")!.before).toMatchObject({ scheduledAt: null });
  });

  it("every change_request outbox event carries service, services and the target environment", async () => {
    const rows = await query<OutboxRow>(db(), `select type, payload from outbox_events where type like 'change_request.%' and payload->>'id' = '${crId}' order by id`);
    expect(rows.map((r) => r.type)).toEqual(["change_request.opened", "change_request.commented", "change_request.scheduled", "change_request.outdated"]);
    for (const r of rows) {
      expect(r.payload, r.type).toMatchObject({ id: crId, service: "redis", environment: "staging" });
      expect(typeof r.payload.state, r.type).toBe("string");
    }
    expect(rows.at(-1)!.payload).toMatchObject({ state: "outdated", previous: "in_review" });
  });

  it("config saves name their environment and carry the values before and after", async () => {
    const rows = await query<AuditRow>(db(), `select action, environment, service, before, after from audit_events where action = 'config.saved' order by seq`);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const r of rows) {
      expect(r.environment).not.toBeNull();
      expect(r.before).toMatchObject({ value: expect.any(Object) });
      expect(r.after).toMatchObject({ value: expect.any(Object) });
    }
  });
});
