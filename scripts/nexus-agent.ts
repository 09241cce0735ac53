// npm run nexus -- agent: a small agent a service runs beside itself. It reports the config file the
// service actually runs to Nexus (POST …/observed) when the file changes and on an interval, so that
// drift detection needs one command on the service's side.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { CliError } from "./nexus-import";

export interface AgentOptions {
  file: string;
  service: string;
  env: string;
  url: string;
  token: string;
  intervalSeconds: number;
  once: boolean;
  log?: (line: string) => void;
}

const CONTENT_TYPES: Record<string, string> = { ".json": "application/json", ".yaml": "application/yaml", ".yml": "application/yaml", ".env": "text/x-dotenv" };

export function contentTypeOf(file: string): string {
  const base = path.basename(file);
  const ext = base === ".env" || base.startsWith(".env.") ? ".env" : path.extname(file).toLowerCase();
  const type = CONTENT_TYPES[ext];
  if (!type) throw new CliError(`Cannot tell the format of ${file}: use a .json, .yaml, .yml or .env file.`);
  return type;
}

/** Sends one report; returns the status Nexus computed, or throws with Nexus's own explanation. */
export async function reportOnce(o: AgentOptions): Promise<{ status: string; driftCount: number; changed: boolean }> {
  const body = await readFile(o.file, "utf8");
  const url = `${o.url.replace(/\/+$/, "")}/api/v1/services/${encodeURIComponent(o.service)}/environments/${encodeURIComponent(o.env)}/observed`;
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${o.token}`, "content-type": contentTypeOf(o.file), "user-agent": "nexus-agent" },
    body,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let json: { detail?: string; status?: string | number; driftCount?: number; changed?: boolean } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // not JSON: reported below with the status code
  }
  if (!res.ok) throw new Error(`Nexus answered ${res.status}: ${json.detail ?? text.slice(0, 300)}`);
  return { status: String(json.status), driftCount: Number(json.driftCount ?? 0), changed: Boolean(json.changed) };
}

/** Reports now, then whenever the file changes (checked every second) and at least every interval. */
export async function runAgent(o: AgentOptions): Promise<number> {
  const log = o.log ?? ((line: string) => console.log(`${new Date().toISOString()} ${line}`));
  const send = async (why: string) => {
    try {
      const r = await reportOnce(o);
      log(`reported ${o.file} (${why}): ${o.service} in ${o.env} is ${r.status.replace("_", " ")}${r.driftCount ? ` (${r.driftCount} drifted path${r.driftCount === 1 ? "" : "s"})` : ""}`);
      return true;
    } catch (e) {
      log(`report failed (${why}): ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  };
  const first = await send("start");
  if (o.once) return first ? 0 : 1;
  let lastMtime = (await stat(o.file).catch(() => null))?.mtimeMs ?? 0;
  let lastSent = Date.now();
  let busy = false;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      void (async () => {
        const mtime = (await stat(o.file).catch(() => null))?.mtimeMs ?? 0;
        if (mtime !== lastMtime) {
          lastMtime = mtime;
          await send("file changed");
          lastSent = Date.now();
        } else if (Date.now() - lastSent >= o.intervalSeconds * 1000) {
          await send("interval");
          lastSent = Date.now();
        }
      })().finally(() => (busy = false));
    }, 1000);
    const stop = () => {
      clearInterval(timer);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}
