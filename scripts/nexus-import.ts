// `npm run nexus -- import DIR`: reads a directory of config files and imports it, locally or over HTTP.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ImportReport } from "@/lib/server/import/import-report";
import { formatReport } from "./nexus-report";

export interface ImportOptions {
  dir: string;
  dryRun: boolean;
  url?: string;
  token?: string;
  message?: string;
}

export class CliError extends Error {}

/** This machine's database (DATABASE_URL, or the embedded one under NEXUS_DATA_DIR), migrated, never seeded. */
export async function openLocalDatabase() {
  process.env.LOG_LEVEL ??= "warn";
  const { prepareSettings } = await import("@/lib/config/settings");
  prepareSettings();
  const { bootDatabase } = await import("@/lib/server/system/boot");
  const { getDatabaseHandle } = await import("@/lib/db/client");
  try {
    await bootDatabase({ seed: false });
  } catch (e) {
    const hint = process.env.DATABASE_URL ? "" : " (the embedded database opens in one process at a time: stop Nexus, or use --url and --token)";
    throw new CliError(`Cannot open the database${hint}: ${(e as Error).message}`);
  }
  const handle = await getDatabaseHandle();
  return { handle, close: () => handle.close() };
}

const CONFIG_FILE = /\.(yaml|yml|json|env)$/;

/**
 * DIR/shared.(yaml|yml|json), DIR/<service>/*.(yaml|yml|json|env). Names are not judged here: the
 * import reports a bad service or environment name like any other problem, in the one report.
 */
export function readImportDir(dir: string): { files: { path: string; content: string }[]; skipped: string[] } {
  const files: { path: string; content: string }[] = [];
  const skipped: string[] = [];
  const entries = (d: string) => readdirSync(d, { withFileTypes: true }).filter((e) => !e.name.startsWith(".")).sort((a, b) => a.name.localeCompare(b.name));
  let top;
  try {
    top = entries(dir);
  } catch (e) {
    throw new CliError(`Cannot read ${dir}: ${(e as Error).message}`);
  }
  for (const e of top) {
    if (e.isFile()) {
      if (/^shared\.(yaml|yml|json)$/.test(e.name)) files.push({ path: e.name, content: readFileSync(path.join(dir, e.name), "utf8") });
      else skipped.push(e.name);
      continue;
    }
    if (!e.isDirectory()) continue;
    for (const f of entries(path.join(dir, e.name))) {
      const rel = `${e.name}/${f.name}`;
      if (f.isFile() && CONFIG_FILE.test(f.name)) files.push({ path: rel, content: readFileSync(path.join(dir, rel), "utf8") });
      else skipped.push(rel);
    }
  }
  return { files, skipped };
}

/** Prints the dry-run report, then (unless --dry-run) imports. Returns the process exit code. */
export async function runImport(o: ImportOptions): Promise<number> {
  const { files, skipped } = readImportDir(o.dir);
  if (skipped.length > 0) console.log(`Skipped (not config files of the layout): ${skipped.join(", ")}\n`);
  if (files.length === 0) throw new CliError(`No config files in ${o.dir}: expected <service>/<environment>.(yaml|yml|json|env) and <service>/base.*`);

  const send = o.url ? remote(o.url, o.token) : await local();
  try {
    const dry = await send({ files, dryRun: true, message: o.message });
    console.log(formatReport(dry, o.dir));
    if (dry.summary.error > 0) return 1;
    if (o.dryRun) return 0;
    const done = await send({ files, dryRun: false, message: o.message });
    console.log(`\n${formatReport(done, o.dir)}`);
    return done.applied ? 0 : 1;
  } finally {
    await send.close?.();
  }
}

type Sender = ((body: { files: { path: string; content: string }[]; dryRun: boolean; message?: string }) => Promise<ImportReport>) & {
  close?: () => Promise<void>;
};

function remote(url: string, token: string | undefined): Sender {
  if (!token) throw new CliError("--url needs --token (or NEXUS_TOKEN): a token with the config:write permission.");
  return async ({ dryRun, ...body }) => {
    const endpoint = new URL(`/api/v1/import${dryRun ? "?dryRun=1" : ""}`, url);
    let res: Response;
    try {
      res = await fetch(endpoint, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    } catch (e) {
      throw new CliError(`Cannot reach ${endpoint.origin}: ${(e as Error).message}`);
    }
    const answer = (await res.json().catch(() => null)) as (ImportReport & { report?: ImportReport; detail?: string }) | null;
    if (res.ok && answer) return answer;
    if (res.status === 422 && answer?.report) return answer.report;
    throw new CliError(`${endpoint.origin} answered ${res.status}: ${answer?.detail ?? res.statusText}`);
  };
}

/** The database of this machine (DATABASE_URL, or the embedded one under NEXUS_DATA_DIR), as the system. */
async function local(): Promise<Sender> {
  const { close } = await openLocalDatabase();
  const { importConfigs } = await import("@/lib/server/import/import-configs");
  const { SYSTEM } = await import("@/lib/server/context");
  const { ServiceError } = await import("@/lib/server/errors");
  const send: Sender = async (input) => {
    try {
      return await importConfigs({ principal: SYSTEM, input });
    } catch (e) {
      if (e instanceof ServiceError && e.details.report) return e.details.report as ImportReport;
      if (e instanceof ServiceError) throw new CliError(e.message);
      throw e;
    }
  };
  send.close = close;
  return send;
}
