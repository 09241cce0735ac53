// A throw-away database for one bench run: PGlite in a temporary folder, or a new database on the
// PostgreSQL server named by BENCH_DATABASE_URL or TEST_DATABASE_URL, dropped by `cleanup`.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openDatabase, type DatabaseHandle } from "@/lib/db/client";

export const benchPostgresUrl = (): string | undefined => process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;

export async function openBenchDatabase(kind: "pglite" | "postgres", label: string): Promise<{ handle: DatabaseHandle; cleanup: () => Promise<void> }> {
  if (kind === "pglite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), `nexus-bench-${label}-`));
    const handle = await openDatabase({ kind: "pglite", dir });
    return {
      handle,
      cleanup: async () => {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = benchPostgresUrl();
  if (!base) throw new Error("set BENCH_DATABASE_URL or TEST_DATABASE_URL to bench on PostgreSQL");
  const name = `nexus_bench_${label.replace(/\W/g, "_")}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: "postgres", url: url.toString() });
  return {
    handle,
    cleanup: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
