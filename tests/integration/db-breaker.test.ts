// PostgreSQL only: the breaker in front of the pool (lib/db/breaker.ts), against a real server
// reached through a TCP forwarder that this test takes down and brings back, as a restart would.
import { createServer, connect, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { problemOf } from "@/lib/api/problem";
import { isRefusal } from "@/lib/db/breaker";
import { openDatabase, ping, useDatabase, type DatabaseHandle } from "@/lib/db/client";
import { metricsText } from "@/lib/metrics";
import { databaseAvailability } from "@/lib/server/system/database-availability";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { testPostgresUrl } from "../helpers/db";

const base = testPostgresUrl();

/** Forwards 127.0.0.1:<port> to the real server; `down()` drops every connection and the listener. */
function forwarder(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const up = () =>
    new Promise<number>((resolve) => {
      server = createServer((inbound) => {
        const outbound = connect(Number(target.port || 5432), target.hostname);
        for (const s of [inbound, outbound]) {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
          s.on("error", () => {});
        }
        inbound.pipe(outbound).pipe(inbound);
      });
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as { port: number }).port;
        resolve(port);
      });
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      const closing = server;
      server = null;
      if (closing) closing.close(() => resolve());
      else resolve();
    });
  return { up, down };
}

const reasonOf = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

if (base) {
  describe("database breaker [postgres]", () => {
    const target = new URL(base);
    const fwd = forwarder(target);
    let handle: DatabaseHandle;

    beforeAll(async () => {
      const port = await fwd.up();
      const url = new URL(base);
      url.hostname = "127.0.0.1";
      url.port = String(port);
      handle = await openDatabase({ kind: "postgres", url: url.toString() });
      useDatabase(handle); // the metrics read the process's database
    });
    afterAll(async () => {
      useDatabase(null);
      await handle?.close().catch(() => {});
      await fwd.down();
    });

    it("refuses at once while the database is down and recovers by itself when it is back", async () => {
      await ping(handle.db);
      expect(handle.breaker!.state).toBe("closed");

      await fwd.down();
      // The first query after the outage goes to the driver and fails with the driver's own error…
      const first = await reasonOf(ping(handle.db));
      expect(isDatabaseUnavailable(first)).toBe(true);
      expect(isRefusal(first)).toBe(false);
      expect(handle.breaker!.state).toBe("open");

      // …the next ones are refused by the breaker without joining the driver's queue.
      const again = await reasonOf(ping(handle.db));
      expect(isRefusal(again)).toBe(true);
      expect(problemOf(again, "req")?.status).toBe(503);
      const tx = await reasonOf(handle.db.transaction(async (t) => t.execute(sql`select 1`)));
      expect(isRefusal(tx)).toBe(true);
      expect(handle.breaker!.state).toBe("open");
      const metric = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
      const during = await metricsText();
      expect(metric(during, "nexus_database_unavailable")).toBe(1);
      expect(metric(during, "nexus_database_outages")).toBe(1);
      expect(metric(during, "nexus_database_refused_queries")).toBe(2);
      expect(await databaseAvailability()).toEqual({ available: false }); // the console's outage banner

      await fwd.up(); // same port, as a restarted server
      await vi.waitFor(() => expect(handle.breaker!.state).toBe("closed"), { timeout: 10_000, interval: 50 });
      await ping(handle.db);
      const rows = await handle.db.transaction(async (t) => t.execute(sql`select 41 + 1 as n`));
      expect(JSON.stringify(rows)).toContain("42");
      expect(metric(await metricsText(), "nexus_database_unavailable")).toBe(0);
      expect(await databaseAvailability()).toEqual({ available: true });
    });

    it("stays closed for errors that are the query's own fault", async () => {
      const err = await reasonOf(handle.db.execute(sql`select * from no_such_table_here`));
      expect(err).toBeTruthy();
      expect(isDatabaseUnavailable(err)).toBe(false);
      expect(handle.breaker!.state).toBe("closed");
      await ping(handle.db);
    });
  });
}
