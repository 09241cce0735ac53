import "server-only";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { getDb, rowsOf, type Database } from "@/lib/db/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type RequestMeta } from "../context";
import type { Principal } from "@/lib/auth/permissions";
import { BUNDLE_FORMAT, BUNDLE_VERSION, appliedMigrations, type BundleHeader, type BundleTrailer } from "./bundle";
import { includedTables } from "./tables";

const FETCH = 1000;

/**
 * Writes the whole SSOT as one bundle of JSON lines: a header, one line per row of each included
 * table (in restore order), and a trailer with the row counts and the SHA-256 of every line before
 * it. Read in one REPEATABLE READ, read-only transaction, so the bundle is one consistent instant.
 */
export async function writeBundle(db: Database, emit: (chunk: string) => Promise<void> | void, now = new Date()): Promise<BundleTrailer> {
  const hash = createHash("sha256");
  const out = async (line: string) => {
    const text = `${line}\n`;
    hash.update(text);
    await emit(text);
  };
  const tables = includedTables();
  return db.transaction(
    async (t) => {
      const header: BundleHeader = {
        format: BUNDLE_FORMAT,
        version: BUNDLE_VERSION,
        createdAt: now.toISOString(),
        migrations: await appliedMigrations(t),
        tokenHashes: true,
        tables: tables.map((x) => ({ name: x.name, columns: x.columns })),
      };
      await out(JSON.stringify(header));
      const counts: Record<string, number> = {};
      for (const table of tables) {
        let n = 0;
        const cursor = `nexus_backup_${table.name}`;
        // row_to_json keeps json columns byte for byte (a revision's key order) and timestamps exact.
        await t.execute(sql.raw(`declare ${cursor} no scroll cursor for select row_to_json(x)::text as j from "${table.name}" x order by ${table.orderBy}`));
        for (;;) {
          const rows = rowsOf<{ j: string }>(await t.execute(sql.raw(`fetch ${FETCH} from ${cursor}`)));
          for (const r of rows) await out(`{"t":${JSON.stringify(table.name)},"r":${r.j}}`);
          n += rows.length;
          if (rows.length < FETCH) break;
        }
        counts[table.name] = n;
        await t.execute(sql.raw(`close ${cursor}`));
      }
      const trailer: BundleTrailer = { end: true, counts, sha256: hash.digest("hex") };
      await emit(`${JSON.stringify(trailer)}\n`);
      return trailer;
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/**
 * GET /api/v1/backup: records who took the backup (the event is inside the bundle), then streams it.
 * The stream applies backpressure: rows are read as fast as the caller takes them.
 */
export async function streamBackup({ principal, meta }: { principal: Principal; meta?: RequestMeta }): Promise<ReadableStream<Uint8Array>> {
  authorize(principal, "settings:manage");
  await withTransaction(undefined, (t) => recordAuditEvent(t, principal, { action: "backup.exported", targetType: "platform", targetId: "backup", after: { format: BUNDLE_FORMAT, version: BUNDLE_VERSION } }, meta));
  const db = await getDb();
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>(undefined, { highWaterMark: 64 });
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  let pending = "";
  const flush = async () => {
    if (!pending) return;
    const chunk = encoder.encode(pending);
    pending = "";
    await writer.ready;
    await writer.write(chunk);
  };
  void writeBundle(db, async (text) => {
    pending += text;
    if (pending.length >= 256 * 1024) await flush();
  })
    .then(async () => {
      await flush();
      await writer.close();
    })
    .catch((err: unknown) => writer.abort(err).catch(() => {}));
  return readable;
}
