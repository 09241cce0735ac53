import { readFileSync } from "node:fs";
import path from "node:path";
import { createServer, type Server, type Socket } from "node:net";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { GET as readyz } from "@/app/api/readyz/route";
import { openDatabase, useDatabase, type DatabaseHandle } from "@/lib/db/client";
import { MIGRATIONS_FOLDER } from "@/lib/db/migrate";
import { checkReadiness } from "@/lib/server/system/check-readiness";
import { createTestDatabase, describeEachDatabase } from "../helpers/db";
import { query } from "../helpers/rows";

function shippedMigrations(): number {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
  expect(journal.entries.length).toBeGreaterThan(0);
  return journal.entries.length;
}

async function callReadyz() {
  const res = await readyz(new NextRequest("http://localhost/api/readyz"));
  return { status: res.status, type: res.headers.get("content-type"), cache: res.headers.get("cache-control"), body: (await res.json()) as Record<string, unknown> };
}

describeEachDatabase("readiness", (db, kind) => {
  afterEach(() => useDatabase(db()));

  it("is ready on a migrated database, and /api/readyz answers 200", async () => {
    expect(await checkReadiness()).toEqual({ ready: true });
    expect(await callReadyz()).toEqual({
      status: 200,
      type: expect.stringMatching(/^application\/json/) as unknown as string,
      cache: "no-store",
      body: { status: "ready" },
    });
  });

  it("is not ready, with a reason, once the database handle is closed; /api/readyz answers 503", async () => {
    const doomed = await createTestDatabase(kind);
    useDatabase(doomed);
    expect(await checkReadiness()).toEqual({ ready: true });
    await doomed.close();

    const r = await checkReadiness();
    expect(r.ready).toBe(false);
    // The driver's own words, not drizzle's "Failed query: select 1".
    expect(!r.ready && r.reason).toMatch(kind === "pglite" ? /^database unreachable: PGlite is closed/ : /^database unreachable: .*CONNECTION_ENDED/);
    const res = await callReadyz();
    expect(res.status).toBe(503);
    expect(res.cache).toBe("no-store");
    expect(res.body).toEqual({ status: "unavailable", reason: expect.stringMatching(/^database unreachable: /) as unknown as string });
  });

  it("is not ready when a shipped migration is not applied", async () => {
    const behind = await createTestDatabase(kind);
    try {
      await query(behind, "delete from drizzle.__drizzle_migrations where id = (select max(id) from drizzle.__drizzle_migrations)");
      useDatabase(behind);
      expect(await checkReadiness()).toEqual({ ready: false, reason: "1 migration(s) not applied" });
      expect((await callReadyz()).status).toBe(503);
    } finally {
      useDatabase(db());
      await behind.close();
    }
  });

  it("is not ready on a database that was never migrated, and says so", async () => {
    const bare = await createTestDatabase(kind);
    try {
      await query(bare, "drop schema drizzle cascade"); // as if the migrations never ran
      useDatabase(bare);
      const r = await checkReadiness();
      expect(r).toEqual({ ready: false, reason: `${shippedMigrations()} migration(s) not applied` });
      expect((await callReadyz()).status).toBe(503);
    } finally {
      useDatabase(db());
      await bare.close();
    }
  });

  it("is ready again once a healthy database is installed", async () => {
    expect(await checkReadiness()).toEqual({ ready: true });
  });
});

describe("readiness against a PostgreSQL server that is not there", () => {
  let handle: DatabaseHandle | null = null;
  let server: Server | null = null;
  const sockets: Socket[] = [];

  afterEach(async () => {
    useDatabase(null);
    for (const s of sockets.splice(0)) s.destroy();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = null;
    handle?.breaker?.stop();
    await handle?.sql?.end({ timeout: 0 }).catch(() => {});
    handle = null;
  });

  it("is not ready when nothing listens on the port, without echoing the connection string", async () => {
    // Opening does not connect: the handle is made, the first query fails.
    handle = await openDatabase({ kind: "postgres", url: "postgres://postgres:hunter2@127.0.0.1:1/x" });
    useDatabase(handle);
    const r = await checkReadiness();
    expect(r.ready).toBe(false);
    expect(!r.ready && r.reason).toMatch(/^database unreachable: .*ECONNREFUSED/);
    expect(!r.ready && r.reason).not.toContain("hunter2");

    const res = await callReadyz();
    expect(res.status).toBe(503);
    expect(res.type).toMatch(/^application\/json/);
    expect(res.body.status).toBe("unavailable");
    expect(res.body.reason).toMatch(/^database unreachable: /);
    expect(JSON.stringify(res.body)).not.toContain("hunter2");
  });

  it("answers after its 1 s timeout when the server accepts connections but never replies", async () => {
    server = createServer((s) => void sockets.push(s)); // swallows the startup message, says nothing
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
    const { port } = server.address() as { port: number };
    handle = await openDatabase({ kind: "postgres", url: `postgres://postgres@127.0.0.1:${port}/x` });
    useDatabase(handle);

    const started = Date.now();
    const r = await checkReadiness();
    const took = Date.now() - started;
    expect(r).toEqual({ ready: false, reason: "the database did not answer within 1 s" });
    expect(took).toBeGreaterThanOrEqual(900); // the timeout answered, not the driver
  });
});
