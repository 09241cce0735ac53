// Deliveries survive a crash and go out once with several senders: a real restart (the database is
// closed and opened again, on disk for PGlite) and two senders with their own connections.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, useDatabase as installDatabase, type DatabaseHandle, type DatabaseTarget } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { SYSTEM } from "@/lib/server/context";
import { emitEvent } from "@/lib/server/promotions/load";
import { createEndpoint } from "@/lib/server/webhooks/create-endpoint";
import { dispatchOutbox } from "@/lib/server/webhooks/dispatch-outbox";
import { sendDueDeliveries } from "@/lib/server/webhooks/send-deliveries";
import { testDatabaseKinds, testPostgresUrl } from "../helpers/db";
import { query } from "../helpers/rows";
import { startReceiver } from "../helpers/webhook-receiver";

/** A database that can be closed and opened again (a restart), and opened twice on PostgreSQL. */
function durableTarget(kind: "pglite" | "postgres"): { target: DatabaseTarget; drop: () => Promise<void> } {
  if (kind === "pglite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nexus-webhooks-"));
    return { target: { kind: "pglite", dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const base = testPostgresUrl()!;
  const name = `nexus_test_wh_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    target: { kind: "postgres", url: url.toString() },
    drop: async () => {
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

async function createPostgresDatabase(target: DatabaseTarget) {
  if (target.kind !== "postgres") return;
  const a = postgres(testPostgresUrl()!, { max: 1, onnotice: () => {} });
  await a.unsafe(`create database ${new URL(target.url).pathname.slice(1)}`);
  await a.end();
}

for (const kind of testDatabaseKinds()) {
  describe(`webhook deliveries across a restart and several senders [${kind}]`, () => {
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let durable: ReturnType<typeof durableTarget>;
    let handle: DatabaseHandle | null = null;

    async function open(): Promise<DatabaseHandle> {
      handle = await openDatabase(durable.target);
      installDatabase(handle);
      return handle;
    }
    /** The process dies: nothing of it survives but what the database committed. */
    async function crash() {
      installDatabase(null);
      await handle?.close();
      handle = null;
    }
    const ids = () => receiver.received.map((r) => r.headers["webhook-id"] as string);

    beforeAll(async () => {
      receiver = await startReceiver();
      durable = durableTarget(kind);
      await createPostgresDatabase(durable.target);
      const h = await open();
      await runMigrations(h);
      await createEndpoint({ principal: SYSTEM, input: { name: "receiver", url: receiver.url, eventTypes: ["config.saved"] } });
      await crash();
    });
    afterAll(async () => {
      await crash();
      await receiver.close();
      await durable.drop();
    });

    it("an event written to the outbox just before a crash is delivered exactly once after the restart", async () => {
      const h = await open();
      await h.db.transaction((t) => emitEvent(t, "config.saved", { service: "redis", environment: "staging", layer: "overlay", revision: 7, author: "Olivia" }));
      await crash(); // before any dispatcher or sender ran

      await open();
      expect(receiver.received).toHaveLength(0);
      expect(await dispatchOutbox()).toBe(1);
      expect(await sendDueDeliveries()).toEqual({ attempted: 1, delivered: 1 });
      expect(await dispatchOutbox()).toBe(0);
      expect(await sendDueDeliveries()).toEqual({ attempted: 0, delivered: 0 });
      expect(receiver.received).toHaveLength(1);
      expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({ type: "config.saved", data: { revision: 7 } });
      await crash();
    });

    it("a delivery claimed by a sender that crashed goes out once its lease has run out, and only once", async () => {
      const h = await open();
      await h.db.transaction((t) => emitEvent(t, "config.saved", { service: "redis", environment: "staging", layer: "overlay", revision: 8, author: "Olivia" }));
      await dispatchOutbox();
      // A sender claimed it (lease of 60 s) and died before sending.
      await query(h, "update webhook_deliveries set lease_until = now() + interval '60 seconds', lease_token = gen_random_uuid() where status = 'pending'");
      await crash();

      await open();
      const before = receiver.received.length;
      expect(await sendDueDeliveries()).toEqual({ attempted: 0, delivered: 0 });
      const later = () => new Date(Date.now() + 61_000);
      expect(await sendDueDeliveries({ now: later })).toEqual({ attempted: 1, delivered: 1 });
      expect(await sendDueDeliveries({ now: later })).toEqual({ attempted: 0, delivered: 0 });
      expect(receiver.received.length).toBe(before + 1);
      expect(JSON.parse(receiver.received.at(-1)!.body)).toMatchObject({ data: { revision: 8 } });
      await crash();
    });

    it("two dispatchers and two senders running at once deliver every event exactly once", async () => {
      const a = await open();
      // PostgreSQL: a second process has its own connection pool. PGlite is one process per directory:
      // there the two run interleaved on the one connection.
      const b = kind === "postgres" ? await openDatabase(durable.target) : a;
      try {
        const before = receiver.received.length;
        for (let i = 0; i < 40; i++) {
          await a.db.transaction((t) => emitEvent(t, "config.saved", { service: `svc-${i}`, environment: "staging", layer: "overlay", revision: 1, author: "bench" }));
        }
        const dispatched = await Promise.all([dispatchOutbox({ db: a.db }), dispatchOutbox({ db: b.db })]);
        expect(dispatched[0] + dispatched[1]).toBe(40);
        const sent = await Promise.all([sendDueDeliveries({ db: a.db, batch: 5 }), sendDueDeliveries({ db: b.db, batch: 5 })]);
        expect(sent[0].delivered + sent[1].delivered).toBe(40);
        const mine = ids().slice(before);
        expect(mine).toHaveLength(40);
        expect(new Set(mine).size).toBe(40);
        const services = receiver.received.slice(before).map((r) => (JSON.parse(r.body) as { data: { service: string } }).data.service);
        expect(new Set(services).size).toBe(40);
        const [row] = await query<{ n: number }>(a, "select count(*)::int as n from webhook_deliveries where status = 'delivered' and outbox_id is not null");
        expect(Number(row!.n)).toBe(42);
      } finally {
        if (b !== a) await b.close();
        await crash();
      }
    });
  });
}
