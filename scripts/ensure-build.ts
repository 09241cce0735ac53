import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const SOURCES = ["app", "components", "lib", "drizzle", "public", "types", "package.json", "next.config.js", "tsconfig.json", "postcss.config.mjs"];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** `npm start` builds the console when there is no build or the sources are newer than it. */
export function ensureBuild(dir = process.cwd()): void {
  const buildId = path.join(dir, ".next", "BUILD_ID");
  if (existsSync(buildId) && process.env.NEXUS_SKIP_BUILD_CHECK === "true") return;
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= Math.max(...SOURCES.map((s) => newestMtime(path.join(dir, s))))) {
    return;
  }
  console.log(existsSync(buildId) ? "Sources changed since the last build: rebuilding…" : "No build yet: building the console (once)…");
  const nextBin = createRequire(path.join(dir, "package.json")).resolve("next/dist/bin/next");
  const r = spawnSync(process.execPath, [nextBin, "build"], { cwd: dir, stdio: "inherit" });
  if (r.status !== 0) throw new Error("next build failed; see the output above");
}
