// bench/RESULTS.md holds one section per scenario; each run rewrites only its own section,
// so figures from `npm run bench -- drift` survive a later `npm run bench -- delivery`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const RESULTS_FILE = path.join(process.cwd(), "bench", "RESULTS.md");
const TITLE = "# Nexus benchmarks (`npm run bench`)\n\nEach section is written by its scenario; `npm run bench -- <scenario>` reruns one.\n";

/** The machine, for the header of a section. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** Replaces (or appends) the section named `name` with `markdown` (which should start with a `## ` heading). */
export function writeSection(name: string, markdown: string): string {
  const start = `<!-- section:${name} -->`;
  const end = `<!-- /section:${name} -->`;
  let text = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, "utf8") : TITLE;
  if (!text.includes("<!-- section:")) text = TITLE; // the old single-scenario layout: start over
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  text = i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(RESULTS_FILE, text);
  return RESULTS_FILE;
}
