import { eq, sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { auditEvents } from "@/drizzle/schema";
import type { Principal } from "@/lib/auth/permissions";
import type { DatabaseHandle } from "@/lib/db/client";
import { listAuditEvents } from "@/lib/server/audit/list-audit-events";
import { recordAuditEvent, type AuditInput } from "@/lib/server/audit/record-audit-event";
import { SYSTEM, type RequestMeta } from "@/lib/server/context";
import { authenticateToken } from "@/lib/server/tokens/authenticate-token";
import { createToken } from "@/lib/server/tokens/create-token";
import { describeEachDatabase } from "../helpers/db";
import { expectServiceError, query, sleep, userPrincipal } from "../helpers/rows";

async function record(handle: DatabaseHandle, principal: Principal, event: AuditInput, meta?: RequestMeta) {
  return handle.db.transaction((t) => recordAuditEvent(t, principal, event, meta));
}

describeEachDatabase("listing audit events", (db) => {
  type Made = { seq: number; actorId: string; action: string; service: string | null; environment: string | null; at: string };
  const made: Made[] = [];
  const actors = ["alice", "bob", "carol"];
  const actionsOf = ["config.saved", "token.created"];
  const servicesOf = ["api-gateway", "vault", null, "redis", "api-gateway"];
  const envsOf = ["staging", "production", "development", null];
  const N = 30;

  beforeAll(async () => {
    for (let i = 0; i < N; i++) {
      const actorId = actors[i % 3]!;
      const event = {
        action: actionsOf[i % 2]!,
        targetType: "test",
        targetId: `t-${i}`,
        service: servicesOf[i % 5]!,
        environment: envsOf[i % 4]!,
      };
      const { seq } = await record(db(), { id: actorId, kind: "user", name: actorId, roles: [] }, event);
      const [row] = await db().db.select().from(auditEvents).where(eq(auditEvents.seq, seq));
      made.push({ seq, actorId, action: event.action, service: event.service, environment: event.environment, at: row!.occurredAt.toISOString() });
      await sleep(3); // distinct timestamps, so that from/to boundaries are exact
    }
  });

  const viewer = userPrincipal("viewer");
  const expectedSeqs = (pred: (m: Made) => boolean) =>
    made
      .filter(pred)
      .map((m) => m.seq)
      .sort((a, b) => b - a);
  const all = async (input: Parameters<typeof listAuditEvents>[0]["input"]) =>
    (await listAuditEvents({ principal: viewer, input: { limit: 200, ...input } })).items.map((e) => e.seq);

  it("lists newest first", async () => {
    expect(await all({})).toEqual(expectedSeqs(() => true));
  });

  it.each([
    ["actor", { actor: "bob" }, (m: Made) => m.actorId === "bob"],
    ["action", { action: "token.created" }, (m: Made) => m.action === "token.created"],
    ["service", { service: "api-gateway" }, (m: Made) => m.service === "api-gateway"],
    ["env", { env: "production" }, (m: Made) => m.environment === "production"],
    [
      "several at once",
      { actor: "alice", action: "config.saved", env: "staging" },
      (m: Made) => m.actorId === "alice" && m.action === "config.saved" && m.environment === "staging",
    ],
  ])("filters by %s", async (_name, filter, pred) => {
    const expected = expectedSeqs(pred);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(N);
    expect(await all(filter)).toEqual(expected);
  });

  it("filters by time, both ends inclusive", async () => {
    const from = made[10]!.at;
    const to = made[19]!.at;
    const got = await all({ from, to });
    expect(got).toEqual(expectedSeqs((m) => m.at >= from && m.at <= to));
    expect(got).toHaveLength(10);
    expect(got).toContain(made[10]!.seq);
    expect(got).toContain(made[19]!.seq);
    expect(await all({ from: made[N - 1]!.at })).toEqual([made[N - 1]!.seq]);
    expect(await all({ to: made[0]!.at })).toEqual([made[0]!.seq]);
  });

  it("accepts from/to written with other UTC offsets", async () => {
    const shift = (iso: string, hours: number) => {
      // The same instant written in local time at +hh:00.
      const d = new Date(Date.parse(iso) + hours * 3_600_000);
      return `${d.toISOString().slice(0, 23)}+${String(hours).padStart(2, "0")}:00`;
    };
    const from = shift(made[10]!.at, 5); // lexically later than `to` below, but the earlier instant
    const to = made[19]!.at;
    expect(await all({ from, to })).toEqual(expectedSeqs((m) => m.at >= made[10]!.at && m.at <= to));
  });

  it("rejects from after to, and a cursor it did not give", async () => {
    await expectServiceError(
      listAuditEvents({ principal: viewer, input: { from: made[20]!.at, to: made[10]!.at } }),
      "invalid",
      "`from` must not be after `to`",
    );
    await expect(listAuditEvents({ principal: viewer, input: { cursor: "abc" } })).rejects.toThrow(
      /cursor must come from a previous page's nextCursor/,
    );
  });

  async function pages(input: { limit: number; actor?: string }, between?: () => Promise<void>) {
    const seen: number[] = [];
    let cursor: string | undefined;
    let count = 0;
    for (;;) {
      const page = await listAuditEvents({ principal: viewer, input: { ...input, cursor } });
      expect(page.items.length).toBeLessThanOrEqual(input.limit);
      seen.push(...page.items.map((e) => e.seq));
      count += 1;
      if (count === 1 && between) await between();
      if (!page.nextCursor) break;
      expect(page.items).toHaveLength(input.limit);
      cursor = page.nextCursor;
      expect(count).toBeLessThan(50);
    }
    return { seen, count };
  }

  it("pages with a keyset cursor without duplicates or gaps", async () => {
    const everything = expectedSeqs(() => true);
    const { seen, count } = await pages({ limit: 7 });
    expect(count).toBe(Math.ceil(N / 7));
    expect(seen).toEqual(everything);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("pages an exact multiple of the page size without an empty last page", async () => {
    const { seen, count } = await pages({ limit: 10 });
    expect(count).toBe(3);
    expect(seen).toEqual(expectedSeqs(() => true));
  });

  it("pages a filtered list, unaffected by events written between pages", async () => {
    const expected = expectedSeqs((m) => m.actorId === "alice");
    const { seen } = await pages({ limit: 3, actor: "alice" }, async () => {
      await record(db(), { id: "alice", kind: "user", name: "alice", roles: [] }, {
        action: "config.saved",
        targetType: "test",
        targetId: "late",
      });
    });
    expect(seen).toEqual(expected);
  });

  it("needs audit:read: a token scoped to config:read cannot list", async () => {
    const { token } = await createToken({
      principal: SYSTEM,
      input: { name: "reader", role: "admin", scopes: ["config:read"] },
    });
    await expectServiceError(
      listAuditEvents({ principal: await authenticateToken(token), input: {} }),
      "forbidden",
      /audit:read/,
    );
  });
});

describeEachDatabase("audit keyset on (time, seq)", (db) => {
  const viewer = userPrincipal("viewer");

  it("pages events that share a timestamp, or whose clock went backwards, without duplicates or gaps", async () => {
    // 30 events in the same millisecond, then 10 whose clock stepped back an hour (higher seq, older time).
    await db().db.execute(sql`
      insert into audit_events (id, occurred_at, actor_id, actor_kind, actor_name, action, target_type, target_id, prev_hash, hash)
      select gen_random_uuid(), timestamptz '2026-03-01T12:00:00.123Z', 'k', 'user', 'K', 'keyset.same', 'test', 's-' || g, repeat('0', 64), repeat('0', 64)
      from generate_series(1, 30) g`);
    await db().db.execute(sql`
      insert into audit_events (id, occurred_at, actor_id, actor_kind, actor_name, action, target_type, target_id, prev_hash, hash)
      select gen_random_uuid(), timestamptz '2026-03-01T11:00:00.000Z' + g * interval '1 ms', 'k', 'user', 'K', 'keyset.back', 'test', 'b-' || g, repeat('0', 64), repeat('0', 64)
      from generate_series(1, 10) g`);
    const expected = (
      await query<{ seq: string }>(db(), "select seq from audit_events where actor_id = 'k' order by occurred_at desc, seq desc")
    ).map((r) => Number(r.seq));
    expect(expected).toHaveLength(40);

    const seen: number[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await listAuditEvents({ principal: viewer, input: { actor: "k", limit: 7, cursor } });
      seen.push(...page.items.map((e) => e.seq));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(expected);
    // Newest first by time: the events of the step back come last although their seq is higher.
    expect(seen.slice(-10).every((s) => s > seen[0]!)).toBe(true);
  });
});
