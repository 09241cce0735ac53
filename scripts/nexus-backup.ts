// `npm run nexus -- backup [--out FILE]` and `restore FILE [--dry-run]`: locally (this machine's
// database) or against a running Nexus (--url and --token).
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { Readable } from "node:stream";
import { createGzip } from "node:zlib";
import type { RestoreReport } from "@/lib/server/backup/restore-backup";
import { CliError, openLocalDatabase } from "./nexus-import";

export interface BackupOptions {
  out?: string;
  url?: string;
  token?: string;
}

/** Writes the bundle to FILE (gzip when it ends in .gz; via FILE.tmp, renamed when complete) or stdout. */
export async function runBackup(o: BackupOptions): Promise<number> {
  const sink = o.out ? fileSink(o.out) : stdoutSink();
  try {
    if (o.url) {
      const res = await call(o.url, o.token, "/api/v1/backup", { method: "GET" });
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) await sink.write(chunk);
    } else {
      const { handle, close } = await openLocalDatabase();
      try {
        const { writeBundle } = await import("@/lib/server/backup/create-backup");
        const { recordAuditEvent } = await import("@/lib/server/audit/record-audit-event");
        const { SYSTEM, withTransaction } = await import("@/lib/server/context");
        await withTransaction(handle.db, (t) => recordAuditEvent(t, { ...SYSTEM, name: "nexus backup (CLI)" }, { action: "backup.exported", targetType: "platform", targetId: "backup", after: { via: "cli" } }));
        const trailer = await writeBundle(handle.db, (text) => sink.write(Buffer.from(text)));
        if (o.out) console.error(`Backed up ${Object.values(trailer.counts).reduce((a, b) => a + b, 0)} rows of ${Object.keys(trailer.counts).length} tables (sha256 ${trailer.sha256.slice(0, 16)}…).`);
      } finally {
        await close();
      }
    }
    await sink.finish();
    if (o.out) console.error(`Wrote ${o.out}`);
    return 0;
  } catch (e) {
    await sink.abort();
    throw e;
  }
}

export interface RestoreOptions {
  file: string;
  dryRun: boolean;
  url?: string;
  token?: string;
}

/** Always a dry run first; then, unless --dry-run, the restore. Exit 0 restored (or would be), 1 refused. */
export async function runRestore(o: RestoreOptions): Promise<number> {
  const send = o.url ? remoteRestore(o.url, o.token, o.file) : await localRestore(o.file);
  try {
    const dry = await send(true);
    console.log(formatRestoreReport(dry));
    if (!dry.ok || o.dryRun) return dry.ok ? 0 : 1;
    const done = await send(false);
    console.log(`\n${formatRestoreReport(done)}`);
    return done.restored ? 0 : 1;
  } finally {
    await send.close?.();
  }
}

export function formatRestoreReport(r: RestoreReport): string {
  const lines = [
    `${r.dryRun ? "Dry run" : "Restore"}: ${r.ok ? (r.restored ? "restored" : "would restore") : "REFUSED"}`,
    `  bundle: ${r.bundle.format ?? "?"} v${r.bundle.version ?? "?"} of ${r.bundle.createdAt ?? "?"} (schema ${r.bundle.migrations ?? "?"}; this instance ${r.bundle.thisInstanceMigrations})`,
    `  integrity: checksum ${r.integrity.checksum}; audit chain ${r.integrity.auditChain ? (r.integrity.auditChain.ok ? `verifies (${r.integrity.auditChain.checked} events)` : "BROKEN") : "not checked"}; ` +
      `revision hashes ${r.integrity.revisionHashes.checked - r.integrity.revisionHashes.mismatches.length}/${r.integrity.revisionHashes.checked} match; master key ${r.integrity.masterKey}`,
    `  target: ${r.target.empty ? "empty" : `NOT empty (${r.target.blockers.join("; ")})`}`,
    "  rows:",
    ...Object.entries(r.counts).map(([t, n]) => `    ${t.padEnd(26)} ${String(n).padStart(9)}`),
  ];
  if (r.problems.length > 0) lines.push("  problems:", ...r.problems.map((p) => `    - ${p}`));
  return lines.join("\n");
}

type Sender = ((dryRun: boolean) => Promise<RestoreReport>) & { close?: () => Promise<void> };

function remoteRestore(url: string, token: string | undefined, file: string): Sender {
  return async (dryRun) => {
    const res = await call(url, token, `/api/v1/restore${dryRun ? "?dryRun=1" : ""}`, {
      method: "POST",
      headers: { "content-type": "application/x-ndjson" },
      body: Readable.toWeb(createReadStream(file)) as unknown as BodyInit,
      duplex: "half",
    } as RequestInit, true);
    const answer = (await res.json()) as RestoreReport & { report?: RestoreReport; detail?: string };
    if (res.ok) return answer;
    if (answer.report) return answer.report;
    throw new CliError(`${new URL(url).origin} answered ${res.status}: ${answer.detail ?? res.statusText}`);
  };
}

async function localRestore(file: string): Promise<Sender> {
  const { close } = await openLocalDatabase();
  const { restoreBackup } = await import("@/lib/server/backup/restore-backup");
  const { bundleLines } = await import("@/lib/server/backup/bundle");
  const { SYSTEM } = await import("@/lib/server/context");
  const { ServiceError } = await import("@/lib/server/errors");
  const send: Sender = async (dryRun) => {
    try {
      return await restoreBackup({ principal: { ...SYSTEM, name: "nexus restore (CLI)" }, input: { lines: bundleLines(createReadStream(file)), dryRun } });
    } catch (e) {
      if (e instanceof ServiceError && e.details.report) return e.details.report as RestoreReport;
      if (e instanceof ServiceError) throw new CliError(e.message);
      throw e;
    }
  };
  send.close = close;
  return send;
}

async function call(url: string, token: string | undefined, path: string, init: RequestInit, allowProblem = false): Promise<Response> {
  if (!token) throw new CliError("--url needs --token (or NEXUS_TOKEN): a token with the admin scope (settings:manage).");
  const endpoint = new URL(path, url);
  let res: Response;
  try {
    res = await fetch(endpoint, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
  } catch (e) {
    throw new CliError(`Cannot reach ${endpoint.origin}: ${(e as Error).message}`);
  }
  if (!res.ok && !(allowProblem && (res.status === 409 || res.status === 422))) {
    const p = (await res.json().catch(() => null)) as { detail?: string } | null;
    throw new CliError(`${endpoint.origin} answered ${res.status}: ${p?.detail ?? res.statusText}`);
  }
  return res;
}

interface Sink {
  write(chunk: Uint8Array): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

function fileSink(file: string): Sink {
  const tmp = `${file}.tmp`;
  const out = createWriteStream(tmp);
  const gzip = file.endsWith(".gz") ? createGzip() : null;
  if (gzip) gzip.pipe(out);
  const target = gzip ?? out;
  const closed = new Promise<void>((resolve, reject) => {
    out.on("close", resolve);
    out.on("error", reject);
  });
  return {
    write: (chunk) => new Promise<void>((resolve) => (target.write(chunk) ? resolve() : target.once("drain", resolve))),
    finish: async () => {
      target.end();
      await closed;
      await rename(tmp, file);
    },
    abort: async () => {
      out.destroy();
      await rm(tmp, { force: true });
    },
  };
}

function stdoutSink(): Sink {
  return {
    write: (chunk) => new Promise<void>((resolve) => (process.stdout.write(chunk) ? resolve() : process.stdout.once("drain", resolve))),
    finish: async () => {},
    abort: async () => {},
  };
}
