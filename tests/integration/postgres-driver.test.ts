// PostgreSQL only: the driver patch in patches/postgres+3.4.9.patch (applied by `npm install`
// through patch-package). postgres.js 3.4.9 keeps a connection's state across a reconnect, so a
// server-side termination (57P01, as in a restart) failed the first query on the next connection
// too, after the server was long back. RELIABILITY.md, "Load and faults", tells how it was found.
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { testPostgresUrl } from "../helpers/db";

const base = testPostgresUrl();

if (base) {
  describe("postgres.js after a server-side termination [postgres]", () => {
    it("runs the next query on a fresh connection instead of failing it with the old 57P01", async () => {
      const sql = postgres(base, { max: 1, onnotice: () => {} });
      const admin = postgres(base, { max: 1, onnotice: () => {} });
      try {
        const pid = (await sql<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid;
        const sleeping = sql`select pg_sleep(30)`.then(() => null, (e: unknown) => e);
        await expect.poll(async () => (await admin`select count(*)::int as n from pg_stat_activity where pid = ${pid} and query like '%pg_sleep%'`)[0]!.n).toBe(1);
        await admin`select pg_terminate_backend(${pid})`;
        const err = (await sleeping) as { code?: string } | null;
        expect(err?.code).toMatch(/^(57P01|CONNECTION_CLOSED)$/);

        const rows = await sql<{ n: number }[]>`select 41 + 1 as n`;
        expect(rows[0]!.n).toBe(42);
        const next = (await sql<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid;
        expect(next).not.toBe(pid);
      } finally {
        await sql.end({ timeout: 1 });
        await admin.end({ timeout: 1 });
      }
    });
  });
}
