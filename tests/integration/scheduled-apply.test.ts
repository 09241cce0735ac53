import { expect, it } from "vitest";
import type { Principal } from "@/lib/auth/permissions";
import { seedDemo } from "@/lib/db/seed";
import { getLayer } from "@/lib/server/configs/get-layer";
import { getResolvedConfig } from "@/lib/server/configs/get-resolved-config";
import { saveLayer } from "@/lib/server/configs/save-layer";
import { decideChangeRequest } from "@/lib/server/promotions/decide-change-request";
import { openChangeRequest } from "@/lib/server/promotions/open-change-request";
import { applyDueChangeRequests, scheduleChangeRequest } from "@/lib/server/promotions/schedule-change-request";
import { describeEachDatabase } from "../helpers/db";
import { countRows } from "../helpers/rows";

const olivia: Principal = { id: "olivia", kind: "user", name: "Olivia", roles: [{ role: "operator", environments: null }] };
const alice: Principal = { id: "alice", kind: "user", name: "Alice", roles: [{ role: "approver", environments: null }] };

describeEachDatabase("scheduled apply", (db) => {
  it("applies an approved request once its time has come, exactly once", async () => {
    await seedDemo(db().db);
    const layer = await getLayer({ principal: olivia, input: { layer: "overlay", service: "redis", env: "development" } });
    await saveLayer({
      principal: olivia,
      input: { layer: "overlay", service: "redis", env: "development", format: "yaml", baseRevision: layer.head!.id, message: "raise workers", content: layer.source.replace("max_workers: 4", "max_workers: 6") },
    });
    const cr = await openChangeRequest({ principal: olivia, input: { kind: "promotion", services: ["redis"], from: "development", to: "staging" } });
    await decideChangeRequest({ principal: alice, input: { id: cr.id, decision: "approve" } });

    const at = new Date(Date.now() + 60_000).toISOString();
    await scheduleChangeRequest({ principal: alice, input: { id: cr.id, at } });
    expect(await applyDueChangeRequests(new Date())).toBe(0);

    const later = new Date(Date.now() + 120_000);
    expect(await applyDueChangeRequests(later)).toBe(1);
    expect(await applyDueChangeRequests(later)).toBe(0);
    const staging = await getResolvedConfig({ principal: olivia, input: { service: "redis", env: "staging" } });
    expect((staging.value.performance as Record<string, unknown>).max_workers).toBe(6);
    expect(await countRows(db(), "audit_events", "action = 'change_request.applied'")).toBe(1);
  });

  it("refuses to schedule without changes:apply", async () => {
    const cr = await openChangeRequest({
      principal: olivia,
      input: { kind: "edit", service: "redis", env: "production", format: "yaml", content: "monitoring:\n  log_level: ERROR\n" },
    });
    await expect(scheduleChangeRequest({ principal: olivia, input: { id: cr.id, at: new Date(Date.now() + 60_000).toISOString() } })).rejects.toMatchObject({ code: "forbidden" });
  });
});
