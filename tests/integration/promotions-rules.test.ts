import { beforeAll, expect, it } from "vitest";
import { seedDemo } from "@/lib/db/seed";
import { applyChangeRequest } from "@/lib/server/promotions/apply-change-request";
import { decideChangeRequest } from "@/lib/server/promotions/decide-change-request";
import { getChangeRequest } from "@/lib/server/promotions/get-change-request";
import { getPromotionSummary } from "@/lib/server/promotions/get-promotion-summary";
import { refreshChangeRequest, reviewBypass } from "@/lib/server/promotions/manage-change-request";
import { updateApprovalRule } from "@/lib/server/promotions/update-approval-rule";
import { describeEachDatabase } from "../helpers/db";
import { admin, alice, auditActions, bob, editOverlay, morgan, olivia, overlayRevisions, promote, resolved } from "../helpers/promotions";
import { expectServiceError, query } from "../helpers/rows";

const workers = (to: number) => (src: string) => src.replace(/max_workers: \d+/, `max_workers: ${to}`);

describeEachDatabase("promotions: outdated, rejected, blocked, bypassed", (db) => {
  beforeAll(async () => {
    expect(await seedDemo(db().db)).toBe(true);
  });

  it("becomes outdated when the target moves; refresh recomputes it and approvals no longer count", async () => {
    await editOverlay("redis", "development", workers(5));
    const { id } = await promote(["redis"], "development", "staging");
    expect(await decideChangeRequest({ principal: alice, input: { id, decision: "approve" } })).toMatchObject({ state: "approved" });

    await editOverlay("redis", "staging", (s) => s.replace("cache_ttl: 1800", "cache_ttl: 1700"));
    const outdated = await getChangeRequest({ principal: alice, input: { id } });
    expect(outdated.state).toBe("outdated");
    expect(outdated.checks.find((c) => c.id === "head")).toMatchObject({ ok: false, failures: [expect.stringMatching(/staging moved to r2 .*refresh it/)] });
    expect(outdated.actions).toMatchObject({ apply: false, approve: false, refresh: true });
    expect((await getChangeRequest({ principal: morgan, input: { id } })).actions.refresh).toBe(false);
    await expectServiceError(applyChangeRequest({ principal: alice, input: { id } }), "conflict", /outdated, not approved/);

    expect(await refreshChangeRequest({ principal: olivia, input: { id } })).toMatchObject({ state: "in_review" });
    const fresh = await getChangeRequest({ principal: alice, input: { id } });
    expect(fresh.checks.every((c) => c.ok)).toBe(true);
    expect(fresh.approvals).toMatchObject({ approvals: [], missing: 1, met: false });
    expect(fresh.decisions).toMatchObject([{ userId: "alice", decision: "approve", contentVersion: 1, current: false }]);
    const [row] = await query<{ content_version: number }>(db(), `select content_version from change_requests where id = '${id}'`);
    expect(row!.content_version).toBe(2);
    // Both the refreshed diff and the staging edit made meanwhile survive.
    expect(fresh.items[0]!.changes).toEqual([{ path: "/performance/max_workers", kind: "changed", before: 8, after: 5 }]);
    expect(fresh.actions.approve).toBe(true);
    expect(await decideChangeRequest({ principal: alice, input: { id, decision: "approve" } })).toMatchObject({ state: "approved" });
    await applyChangeRequest({ principal: alice, input: { id } });
    expect((await resolved("redis", "staging")).performance).toMatchObject({ max_workers: 5, cache_ttl: 1700 });
  });

  it("is rejected by one rejection and can then never be applied", async () => {
    await editOverlay("vault", "staging", workers(12));
    const { id } = await promote(["vault"], "staging", "production");
    await decideChangeRequest({ principal: alice, input: { id, decision: "approve" } });
    expect(await decideChangeRequest({ principal: bob, input: { id, decision: "reject", comment: "not during the freeze" } })).toMatchObject({ state: "rejected" });
    const cr = await getChangeRequest({ principal: alice, input: { id } });
    expect(cr.approvals.rejectedBy).toBe("bob");
    expect(cr.decisions.at(-1)).toMatchObject({ userName: "Bob", decision: "reject", comment: "not during the freeze" });
    await expectServiceError(applyChangeRequest({ principal: alice, input: { id } }), "conflict", /rejected/);
    expect(await auditActions(db(), id)).toEqual(["change_request.opened", "change_request.approved", "change_request.rejected"]);
  });

  it("fails the policies check when the result breaks a production error policy, and cannot be applied", async () => {
    await editOverlay("postgres", "staging", (s) => s.replace("ssl: true", "ssl: false"));
    const { id } = await promote(["postgres"], "staging", "production");
    const cr = await getChangeRequest({ principal: alice, input: { id } });
    const policies = cr.checks.find((c) => c.id === "policies")!;
    expect(policies.ok).toBe(false);
    expect(policies.failures.join("\n")).toMatch(/postgres: policy prod-db-ssl .*\/database\/ssl/);
    expect(cr.checksPass).toBe(false);
    for (const p of [alice, bob]) await decideChangeRequest({ principal: p, input: { id, decision: "approve" } });
    expect((await getChangeRequest({ principal: bob, input: { id } })).actions.apply).toBe(false);
    const before = await overlayRevisions(db(), "postgres", "production");
    await expectServiceError(applyChangeRequest({ principal: bob, input: { id } }), "conflict", /cannot be applied: Policies of error severity pass: postgres: policy prod-db-ssl/);
    expect(await overlayRevisions(db(), "postgres", "production")).toBe(before);
    expect((await resolved("postgres", "production")).database).toMatchObject({ ssl: true });
  });

  it("refuses a step that skips the pipeline, and an empty promotion", async () => {
    await expectServiceError(promote(["nexus-backend"], "development", "production"), "invalid", /development promotes to staging, not to production: the pipeline is development → staging → production/);
    await expectServiceError(promote(["nexus-backend"], "staging", "production"), "invalid", /Nothing to promote/);
    await expectServiceError(promote(["nexus-backend"], "staging", "production", morgan), "forbidden", /changes:create/);
  });

  it("bypasses missing approvals only where the environment allows it, records the reason and flags it until reviewed", async () => {
    await editOverlay("elk", "staging", workers(10));
    const { id, number } = await promote(["elk"], "staging", "production");
    const bypassReason = "Incident 4711: the log pipeline is dropping events";
    await expectServiceError(applyChangeRequest({ principal: admin, input: { id, bypassReason } }), "forbidden", /production does not allow emergency bypass/);
    await expectServiceError(applyChangeRequest({ principal: bob, input: { id, bypassReason } }), "forbidden", /changes:bypass/);
    await expect(applyChangeRequest({ principal: admin, input: { id, bypassReason: "urgent" } })).rejects.toThrow(/written reason \(10 characters at least\)/);
    await expectServiceError(updateApprovalRule({ principal: bob, input: { env: "production", requiredApprovals: 2, approverRoles: ["approver"], allowBypass: true } }), "forbidden");

    await updateApprovalRule({ principal: admin, input: { env: "production", requiredApprovals: 2, approverRoles: ["approver"], allowBypass: true } });
    expect((await getChangeRequest({ principal: admin, input: { id } })).actions).toMatchObject({ bypass: true, apply: false });
    expect((await getChangeRequest({ principal: bob, input: { id } })).actions.bypass).toBe(false);
    expect(await applyChangeRequest({ principal: admin, input: { id, bypassReason } })).toMatchObject({ state: "applied" });
    expect((await resolved("elk", "production")).performance).toMatchObject({ max_workers: 10 });

    const [event] = await query<{ after: { reason: string; bypass: boolean } }>(db(), `select after from audit_events where target_id = '${id}' and action = 'change_request.bypassed'`);
    expect(event!.after).toMatchObject({ bypass: true, reason: bypassReason });
    const cr = await getChangeRequest({ principal: alice, input: { id } });
    expect(cr).toMatchObject({ bypassReason, bypassReviewedBy: null });
    expect(cr.actions.reviewBypass).toBe(true);
    expect((await getPromotionSummary({ principal: morgan, input: undefined })).unreviewedBypasses).toMatchObject({ total: 1, items: [{ number, bypassReason, appliedBy: "Admin" }] });

    await expectServiceError(reviewBypass({ principal: morgan, input: { id } }), "forbidden");
    expect((await getChangeRequest({ principal: admin, input: { id } })).actions.reviewBypass).toBe(false);
    await expectServiceError(reviewBypass({ principal: admin, input: { id } }), "forbidden", /someone else must review it/);
    await reviewBypass({ principal: alice, input: { id } });
    expect((await getPromotionSummary({ principal: morgan, input: undefined })).unreviewedBypasses.total).toBe(0);
    await updateApprovalRule({ principal: admin, input: { env: "production", requiredApprovals: 2, approverRoles: ["approver"], allowBypass: false } });
  });

  it("summarises what awaits approval for the overview", async () => {
    await editOverlay("grafana", "staging", workers(9));
    const { number } = await promote(["grafana"], "staging", "production");
    const summary = await getPromotionSummary({ principal: alice, input: undefined });
    expect(summary.awaitingApproval).toMatchObject({ total: 1, items: [{ number, to: "production", authorName: "Olivia" }] });
    // The policy-blocked postgres request has its approvals: it waits to be applied, not approved.
    expect(summary.readyToApply).toBe(1);
    expect(summary.awaitingMe).toBe(1);
    expect((await getPromotionSummary({ principal: olivia, input: undefined })).awaitingMe).toBe(0);
  });
});
