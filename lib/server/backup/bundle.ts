import "server-only";
import { sql } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "@/lib/db/client";

/** The bundle format: JSON lines; version 1 is the first. A restore refuses versions it does not know. */
export const BUNDLE_FORMAT = "nexus-backup";
export const BUNDLE_VERSION = 1;

export interface BundleHeader {
  format: typeof BUNDLE_FORMAT;
  version: number;
  createdAt: string;
  /** Tags of the migrations the source database had applied, in order. */
  migrations: number;
  tokenHashes: boolean;
  tables: { name: string; columns: string[] }[];
}

export interface BundleTrailer {
  end: true;
  counts: Record<string, number>;
  /** SHA-256 (hex) of every line before the trailer, newlines included: a truncated or edited bundle is refused. */
  sha256: string;
}

export interface BundleRow {
  t: string;
  r: Record<string, unknown>;
}

/** How many migrations this database has applied (the schema version a bundle comes from). */
export async function appliedMigrations(db: DbOrTx): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
  return Number(row?.n ?? 0);
}

/**
 * The lines of a bundle, from bytes as they arrive (a request body, a file), gzip or not: a gzip
 * stream is recognised by its magic bytes.
 */
export async function* bundleLines(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const { createGunzip } = await import("node:zlib");
  const { Readable } = await import("node:stream");
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const head = typeof first.value === "string" ? Buffer.from(first.value) : Buffer.from(first.value);
  async function* rest(): AsyncGenerator<Buffer> {
    yield head;
    for (;;) {
      const n = await iterator.next();
      if (n.done) return;
      yield typeof n.value === "string" ? Buffer.from(n.value) : Buffer.from(n.value);
    }
  }
  const raw = Readable.from(rest());
  const bytes: AsyncIterable<Buffer> = head[0] === 0x1f && head[1] === 0x8b ? raw.pipe(createGunzip()) : raw;
  const decoder = new TextDecoder();
  let buf = "";
  for await (const chunk of bytes) {
    buf += decoder.decode(chunk, { stream: true });
    const parts = buf.split("\n");
    buf = parts.pop() ?? "";
    for (const line of parts) if (line.length > 0) yield line;
  }
  buf += decoder.decode();
  if (buf.length > 0) yield buf;
}
