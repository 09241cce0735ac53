import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "@/lib/db/seed";
import { applyChangeRequest } from "@/lib/server/promotions/apply-change-request";
import { decideChangeRequest } from "@/lib/server/promotions/decide-change-request";
import { getChangeRequest } from "@/lib/server/promotions/get-change-request";
import { getPipeline } from "@/lib/server/promotions/get-pipeline";
import { countAwaitingDecision, listChangeRequests } from "@/lib/server/promotions/list-change-requests";
import { cancelChangeRequest, revertChangeRequest } from "@/lib/server/promotions/manage-change-request";
import { describeEachDatabase } from "../helpers/db";
import { admin, alice, approveAndApply, auditActions, bob, editOverlay, morgan, olivia, outboxTypes, overlayRevisions, promote, resolved } from "../helpers/promotions";
import { expectServiceError } from "../helpers/rows";

const ttl = (to: number) => (src: string) => src.replace(/cache_ttl: \d+/, `cache_ttl: ${to}`);

describeEachDatabase("promotions: staging → production with approvals", (db) => {
  beforeAll(async () => {
    expect(await seedDemo(db().db)).toBe(true);
  });

  describe("a promotion from open to applied", () => {
    let id = "";

    it("opens with the resolved diff in production, passing checks and 0 of 2 approvals", async () => {
      await editOverlay("api-gateway", "staging", ttl(1200));
      const pipeline = await getPipeline({ principal: morgan, input: { service: "api-gateway" } });
      expect(pipeline.steps.find((s) => s.to === "production")!.changes).toEqual([{ path: "/performance/cache_ttl", kind: "changed", before: 1800, after: 1200 }]);

      const opened = await promote(["api-gateway"], "staging", "production");
      id = opened.id;
      expect(opened).toMatchObject({ state: "in_review", title: "Promote api-gateway from staging to production" });
      const cr = await getChangeRequest({ principal: alice, input: { id } });
      expect(cr.items[0]!.changes).toEqual([{ path: "/performance/cache_ttl", kind: "changed", before: 3600, after: 1200 }]);
      expect(cr.checks.map((c) => [c.id, c.ok])).toEqual([["head", true], ["schema", true], ["policies", true], ["secrets", true], ["drift", true]]);
      expect(cr.approvals).toMatchObject({ approvals: [], missing: 2, required: 2, met: false });
      expect(cr.actions).toMatchObject({ approve: true, reject: true, apply: false, bypass: false });
      expect((await getChangeRequest({ principal: olivia, input: { id } })).actions).toMatchObject({ approve: false, reject: false, cancel: true });
      expect((await getChangeRequest({ principal: morgan, input: { id } })).actions).toMatchObject({ approve: false, apply: false, cancel: false, comment: false });
      expect((await getPipeline({ principal: morgan, input: { service: "api-gateway" } })).steps[1]!.openRequest).toMatchObject({ id, state: "in_review" });
    });

    it("never lets an approver approve or reject a request they opened themselves", async () => {
      await editOverlay("nags-service", "staging", ttl(600));
      const own = await promote(["nags-service"], "staging", "production", alice);
      await expectServiceError(decideChangeRequest({ principal: alice, input: { id: own.id, decision: "approve" } }), "forbidden", /author of a change request can never approve/);
      await expectServiceError(decideChangeRequest({ principal: alice, input: { id: own.id, decision: "reject" } }), "forbidden", /author/);
      expect((await getChangeRequest({ principal: alice, input: { id: own.id } })).actions).toMatchObject({ approve: false, reject: false, cancel: true });
      await cancelChangeRequest({ principal: alice, input: { id: own.id } });
    });

    it("lists it as awaiting alice and bob, never its author", async () => {
      expect(await countAwaitingDecision({ principal: alice, input: undefined })).toBe(1);
      expect(await countAwaitingDecision({ principal: olivia, input: undefined })).toBe(0);
      expect((await listChangeRequests({ principal: bob, input: { filter: "awaiting-me" } })).items.map((i) => i.id)).toEqual([id]);
      expect((await listChangeRequests({ principal: olivia, input: { filter: "mine" } })).items.map((i) => i.id)).toEqual([id]);
      expect((await listChangeRequests({ principal: bob, input: { filter: "mine" } })).items).toEqual([]);
    });

    it("refuses the author and a viewer, counts alice once, and is approved by bob's second approval", async () => {
      await expectServiceError(decideChangeRequest({ principal: olivia, input: { id, decision: "approve" } }), "forbidden");
      await expectServiceError(decideChangeRequest({ principal: morgan, input: { id, decision: "approve" } }), "forbidden", /changes:approve/);
      expect(await decideChangeRequest({ principal: alice, input: { id, decision: "approve" } })).toMatchObject({ state: "in_review", approvals: 1, missing: 1 });
      await expectServiceError(decideChangeRequest({ principal: alice, input: { id, decision: "approve" } }), "conflict", /already gave your decision/);
      await expectServiceError(applyChangeRequest({ principal: alice, input: { id } }), "conflict", /in review, not approved/);
      expect(await countAwaitingDecision({ principal: alice, input: undefined })).toBe(0);
      expect(await decideChangeRequest({ principal: bob, input: { id, decision: "approve" } })).toMatchObject({ state: "approved", approvals: 2, missing: 0 });
      const cr = await getChangeRequest({ principal: bob, input: { id } });
      expect(cr.actions).toMatchObject({ approve: false, apply: true });
      // A third approver sees no Approve button on a request that has its approvals.
      expect((await getChangeRequest({ principal: admin, input: { id } })).actions.approve).toBe(false);
    });

    it("applies: one new production revision, the change resolved, audit and outbox for each step", async () => {
      const before = await overlayRevisions(db(), "api-gateway", "production");
      expect(await applyChangeRequest({ principal: bob, input: { id } })).toMatchObject({ state: "applied", revisions: [{ service: "api-gateway", revision: 2 }] });
      expect(await overlayRevisions(db(), "api-gateway", "production")).toBe(before + 1);
      expect((await resolved("api-gateway", "production")).performance).toMatchObject({ cache_ttl: 1200, max_workers: 16 });
      expect(await auditActions(db(), id)).toEqual(["change_request.opened", "change_request.approved", "change_request.approved", "change_request.applied"]);
      expect(await outboxTypes(db(), id)).toEqual(["change_request.opened", "change_request.approved", "change_request.approved", "change_request.applied"]);
      const cr = await getChangeRequest({ principal: morgan, input: { id } });
      expect(cr).toMatchObject({ state: "applied", appliedBy: "Bob", checks: [], changesScope: "overlay" });
      expect(cr.items[0]).toMatchObject({ baseRevision: 1, appliedRevision: 2, changes: [{ path: "/performance/cache_ttl", before: 3600, after: 1200 }] });
      await expectServiceError(applyChangeRequest({ principal: bob, input: { id } }), "conflict", /applied, not approved/);
      expect((await getPipeline({ principal: morgan, input: { service: "api-gateway" } })).steps[1]).toMatchObject({ changes: [], openRequest: null });
    });

    it("reverts through a new request that restores the previous revision once approved", async () => {
      const revert = await revertChangeRequest({ principal: olivia, input: { id } });
      const cr = await getChangeRequest({ principal: alice, input: { id: revert.id } });
      expect(cr).toMatchObject({ kind: "revert", state: "in_review", from: null, to: "production", revertsId: id, title: expect.stringMatching(/^Revert #\d+/) });
      expect(cr.items[0]!.changes).toEqual([{ path: "/performance/cache_ttl", kind: "changed", before: 1200, after: 3600 }]);
      await approveAndApply(revert.id, [alice, bob]);
      expect((await resolved("api-gateway", "production")).performance).toMatchObject({ cache_ttl: 3600 });
    });
  });

  it("lets exactly one of two racing applies win and writes exactly one revision", async () => {
    await editOverlay("prometheus", "staging", ttl(900));
    const { id } = await promote(["prometheus"], "staging", "production");
    for (const p of [alice, bob]) await decideChangeRequest({ principal: p, input: { id, decision: "approve" } });
    const before = await overlayRevisions(db(), "prometheus", "production");
    // Without an outer transaction each apply takes its own pool connection (PostgreSQL) and waits on the row lock.
    const results = await Promise.allSettled([applyChangeRequest({ principal: alice, input: { id } }), applyChangeRequest({ principal: bob, input: { id } })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: "conflict", message: expect.stringMatching(/is applied, not approved/) });
    expect(await overlayRevisions(db(), "prometheus", "production")).toBe(before + 1);
    expect((await auditActions(db(), id)).filter((a) => a === "change_request.applied")).toHaveLength(1);
  });

  it("promotes several services as one release with one item per service", async () => {
    await editOverlay("grafana", "development", (s) => s.replace("max_workers: 4", "max_workers: 6"));
    await editOverlay("elk", "development", (s) => s.replace("max_workers: 4", "max_workers: 6"));
    const { id } = await promote(["grafana", "elk"], "development", "staging");
    const cr = await getChangeRequest({ principal: alice, input: { id } });
    expect(cr.title).toBe("Promote 2 services from development to staging");
    expect(cr.items.map((i) => [i.service, i.changes.map((c) => `${c.path} ${String(c.before)}→${String(c.after)}`)])).toEqual([
      ["elk", ["/performance/max_workers 8→6"]],
      ["grafana", ["/performance/max_workers 8→6"]],
    ]);
    expect(await approveAndApply(id, [alice])).toMatchObject({ state: "applied", revisions: [{ service: "elk" }, { service: "grafana" }] });
    expect((await resolved("elk", "staging")).performance).toMatchObject({ max_workers: 6 });
  });
});
