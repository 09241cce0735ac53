import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe } from "vitest";
import postgres from "postgres";
import { openDatabase, useDatabase, type DatabaseHandle } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";

export type DbKind = "pglite" | "postgres";

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL (or DATABASE_URL) names a server. */
export function testDatabaseKinds(): DbKind[] {
  return testPostgresUrl() ? ["pglite", "postgres"] : ["pglite"];
}

export function testPostgresUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

/** A fresh, migrated database: in-memory PGlite, or a new PostgreSQL database dropped afterwards. */
export async function createTestDatabase(kind: DbKind): Promise<DatabaseHandle> {
  if (kind === "pglite") {
    const handle = await openDatabase({ kind: "pglite", dir: null });
    await runMigrations(handle);
    return handle;
  }
  const base = testPostgresUrl()!;
  const name = `nexus_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: "postgres", url: url.toString() });
  await runMigrations(handle);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/**
 * Runs the same suite once per database kind, each with its own fresh database installed as the
 * process's database (so use cases that open no transaction of their own use it too).
 */
export function describeEachDatabase(name: string, suite: (db: () => DatabaseHandle, kind: DbKind) => void) {
  for (const kind of testDatabaseKinds()) {
    describe(`${name} [${kind}]`, () => {
      let handle: DatabaseHandle | null = null;
      beforeAll(async () => {
        handle = await createTestDatabase(kind);
        useDatabase(handle);
      });
      afterAll(async () => {
        useDatabase(null);
        await handle?.close();
      });
      suite(() => {
        if (!handle) throw new Error("test database not ready");
        return handle;
      }, kind);
    });
  }
}
