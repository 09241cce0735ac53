import { beforeAll, expect, it } from "vitest";
import { seedDemo } from "@/lib/db/seed";
import { getChangeRequest } from "@/lib/server/promotions/get-change-request";
import { updateApprovalRule } from "@/lib/server/promotions/update-approval-rule";
import { describeEachDatabase } from "../helpers/db";
import { admin, alice, editOverlay, promote } from "../helpers/promotions";
import { query } from "../helpers/rows";

const workers = (to: number) => (src: string) => src.replace(/max_workers: \d+/, `max_workers: ${to}`);

describeEachDatabase("verified promotion: soak in the source environment", (db) => {
  beforeAll(async () => {
    expect(await seedDemo(db().db)).toBe(true);
  });

  it("shows a soak check that fails until the source ran the revisions in sync and healthy long enough, with the time left", async () => {
    await editOverlay("redis", "development", workers(5));
    const { id: plain } = await promote(["redis"], "development", "staging");
    expect((await getChangeRequest({ principal: alice, input: { id: plain } })).checks.map((c) => c.id)).not.toContain("soak");

    await updateApprovalRule({ principal: admin, input: { env: "production", requiredApprovals: 2, approverRoles: ["approver"], allowBypass: false, soakMinutes: 30 } });
    await editOverlay("vault", "staging", workers(7));
    const { id } = await promote(["vault"], "staging", "production");
    const soak = async () => (await getChangeRequest({ principal: alice, input: { id } })).checks.find((c) => c.id === "soak")!;

    // No drift report, checks never ran: nothing proves the source.
    expect(await soak()).toMatchObject({ ok: false, failures: [expect.stringMatching(/^vault: staging has sent no drift report/)] });
    const ids = `(select id from services where name = 'vault'), (select id from environments where name = 'staging')`;
    await query(db(), `insert into drift_status (service_id, environment_id, status, since) values (${ids}, 'in_sync', now() - interval '2 hours')`);
    expect((await soak()).failures[0]).toMatch(/^vault: staging is not healthy: check http is unknown$/);

    // Healthy for 10 minutes only: 20 more to go (the staging edit is older: pushed back below).
    await query(db(), `update config_revisions set created_at = now() - interval '3 hours'`);
    await query(db(), `update health_checks set status = 'up', status_since = now() - interval '10 minutes' where service_id = (select id from services where name = 'vault') and environment_id = (select id from environments where name = 'staging')`);
    const waiting = await soak();
    expect(waiting.ok).toBe(false);
    expect(waiting.failures[0]).toMatch(/has been in sync and healthy for 10 min of 30 min; (19|20) min left \(until \d\d:\d\d UTC\)/);

    await query(db(), `update health_checks set status_since = now() - interval '40 minutes' where service_id = (select id from services where name = 'vault') and environment_id = (select id from environments where name = 'staging')`);
    const cr = await getChangeRequest({ principal: alice, input: { id } });
    expect(cr.checks.find((c) => c.id === "soak")).toMatchObject({ ok: true, failures: [] });

    // Drifted now: no amount of waiting helps, and it says so.
    await query(db(), `update drift_status set status = 'drifted', since = now() where service_id = (select id from services where name = 'vault')`);
    expect((await soak()).failures[0]).toMatch(/staging is drifted, not in sync$/);
  });
});
