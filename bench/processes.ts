// Child processes of the benchmark: the production server, the bare yardstick and the load
// generator. Each runs in its own process (and process group, so that stopping one stops its
// children, e.g. tsx's node), leaving the two cores to the server and autocannon.
import { spawn, type ChildProcess } from "node:child_process";
import { openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import type { LoadFigures, LoadSpec } from "./load";

const ROOT = process.cwd();

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Running {
  url: string;
  child: ChildProcess;
}

/**
 * `npm start`'s command (tsx with the server-only hook, server.ts) as one node process, logging to
 * a file; resolves once /api/healthz answers. `nodeArgs` e.g. ["--cpu-prof"] (not allowed in
 * NODE_OPTIONS).
 */
export async function startNexus(env: NodeJS.ProcessEnv, logFile: string, nodeArgs: string[] = []): Promise<Running> {
  const port = Number(env.PORT);
  const out = openSync(logFile, "a");
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "--import", "./scripts/register.mjs", "server.ts"], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", out, out],
  });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 180_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}; see ${logFile}`);
    const ok = await fetch(`${url}/api/healthz`).then((r) => r.ok, () => false);
    if (ok) return { url, child };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop({ url, child });
  throw new Error(`the server did not answer within 3 minutes; see ${logFile}`);
}

export async function startBare(fixtureFile: string): Promise<Running> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "bench", "bare-server.ts"), fixtureFile], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once("exit", (code) => reject(new Error(`the bare server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

/** SIGTERM to the process group we started, SIGKILL if it is still there after 10 s. */
export async function stop(r: Running): Promise<void> {
  const { child } = r;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(-child.pid!, "SIGTERM");
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

/** Runs autocannon in its own process against `spec` and returns its figures. */
export async function runLoad(spec: LoadSpec, specFile: string): Promise<LoadFigures> {
  writeFileSync(specFile, JSON.stringify(spec));
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "bench", "load.ts"), specFile], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`autocannon exited with ${code}`);
  return JSON.parse(out.trim().split("\n").at(-1)!) as LoadFigures;
}

/** User + system CPU seconds a process has used so far (Linux /proc; USER_HZ is 100). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime and stime: fields 14 and 15 of stat
}
