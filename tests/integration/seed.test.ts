import { expect, it } from "vitest";
import { demoCheckTarget, demoPorts, followDemoPorts } from "@/lib/db/demo-health";
import { seedDemo } from "@/lib/db/seed";
import { verifyAuditChain } from "@/lib/server/audit/verify-audit-chain";
import { listEnvironments } from "@/lib/server/catalog/list-environments";
import { listServices } from "@/lib/server/catalog/list-services";
import { SYSTEM } from "@/lib/server/context";
import { describeEachDatabase } from "../helpers/db";
import { countRows, query, withFailingAudit, type Queryable } from "../helpers/rows";

const DEMO_SERVICES = [
  "nexus-backend",
  "api-gateway",
  "service-discovery",
  "postgres",
  "redis",
  "vault",
  "prometheus",
  "grafana",
  "elk",
  "nags-service",
  "performance-service",
];

/** Row counts of every table in the public schema, so that "changes nothing" covers tables added later. */
async function allCounts(handle: Queryable): Promise<Record<string, number>> {
  const tables = await query<{ name: string }>(
    handle,
    "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1",
  );
  const out: Record<string, number> = {};
  for (const { name } of tables) out[name] = await countRows(handle, `"${name}"`);
  return out;
}

describeEachDatabase("demo seed", (db) => {
  it("starts from an empty database", async () => {
    expect(await countRows(db(), "environments")).toBe(0);
    expect(await countRows(db(), "services")).toBe(0);
    expect(await countRows(db(), "audit_events")).toBe(0);
  });

  it("writes nothing at all when its audit event cannot be written", async () => {
    const before = await allCounts(db());
    await withFailingAudit(db(), "demo.seeded", async () => {
      await expect(seedDemo(db().db)).rejects.toThrow();
    });
    expect(await allCounts(db())).toEqual(before);
    expect(before.environments).toBe(0);
  });

  it("seeds the three environments in pipeline order, the eleven services and one audit event", async () => {
    expect(await seedDemo(db().db)).toBe(true);

    const envs = await listEnvironments({ principal: SYSTEM, input: undefined });
    expect(envs).toEqual([
      { name: "development", position: 0, protected: false, requiredApprovals: 0, approverRoles: ["approver"], allowBypass: false, soakMinutes: 0 },
      { name: "staging", position: 1, protected: false, requiredApprovals: 1, approverRoles: ["approver"], allowBypass: false, soakMinutes: 0 },
      { name: "production", position: 2, protected: true, requiredApprovals: 2, approverRoles: ["approver"], allowBypass: false, soakMinutes: 0 },
    ]);

    const { items, nextCursor } = await listServices({ principal: SYSTEM, input: { limit: 500 } });
    expect(nextCursor).toBeNull();
    expect(items.map((s) => s.name).sort()).toEqual([...DEMO_SERVICES].sort());
    for (const s of items) expect(s.description.length, s.name).toBeGreaterThan(0);

    const events = await query<{ action: string; actor_id: string; target_type: string }>(db(), "select * from audit_events");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "demo.seeded", actor_id: "system", target_type: "platform" });
    expect(await verifyAuditChain({ principal: SYSTEM, input: undefined })).toMatchObject({ ok: true, checked: 1 });
  });

  it("changes nothing when called again", async () => {
    const before = await allCounts(db());
    expect(before.environments).toBe(3);
    expect(before.services).toBe(11);
    const [envBefore] = await query(db(), "select json_agg(e order by position) as rows from environments e");

    expect(await seedDemo(db().db)).toBe(false);
    expect(await seedDemo(db().db)).toBe(false);

    expect(await allCounts(db())).toEqual(before);
    const [envAfter] = await query(db(), "select json_agg(e order by position) as rows from environments e");
    expect(envAfter).toEqual(envBefore);
  });

  it("does not seed a database that already has an environment of its own", async () => {
    // Someone's own pipeline, without the demo's environments: the seed must leave it alone.
    await query(db(), "update environments set name = 'qa' where name = 'development'");
    try {
      expect(await seedDemo(db().db)).toBe(false);
      expect(await countRows(db(), "environments")).toBe(3);
      expect(await countRows(db(), "environments", "name = 'development'")).toBe(0);
    } finally {
      await query(db(), "update environments set name = 'development' where name = 'qa'");
    }
  });
  it("moves the demo's health checks to this start's PORT, once, and leaves edited checks alone", async () => {
    const seeded = demoPorts(); // the seed ran with this process's PORT
    const next = demoPorts(4100);
    const targets = async () => query<{ target: string; service: string; env: string }>(db(),
      "select c.target, s.name as service, e.name as env from health_checks c join services s on s.id = c.service_id join environments e on e.id = c.environment_id order by s.name, e.name");
    const before = await targets();
    expect(before.length).toBeGreaterThan(20);
    expect(before.every((r) => r.target === demoCheckTarget(r.service, r.env, seeded))).toBe(true);
    // An operator pointed one demo check somewhere else: that is theirs now.
    await query(db(), `update health_checks set target = 'https://status.example.com/api' where id = (select c.id from health_checks c join services s on s.id = c.service_id where s.name = '${before[0]!.service}' limit 1)`);
    const events = await countRows(db(), "audit_events", "action = 'demo.health_checks_moved'");

    expect(await followDemoPorts(db().db, next)).toBe(before.length - 1);
    const after = await targets();
    expect(after.filter((r) => r.target === demoCheckTarget(r.service, r.env, next))).toHaveLength(before.length - 1);
    expect(after.some((r) => r.target === "https://status.example.com/api")).toBe(true);
    expect(after.some((r) => r.target.startsWith("http://127.0.0.1:4102/") )).toBe(true);
    expect(after.some((r) => r.target === "127.0.0.1:4103")).toBe(true);
    expect(await countRows(db(), "audit_events", "action = 'demo.health_checks_moved'")).toBe(events + 1);
    expect(await followDemoPorts(db().db, next)).toBe(0);
    expect((await verifyAuditChain({ principal: SYSTEM, input: undefined })).ok).toBe(true);
  });
});
