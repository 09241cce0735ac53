import "server-only";
import type { LayerKind } from "@/drizzle/schema";
import type { ConfigFormat } from "@/lib/domain/parse-config-source";
import { NAME_RE } from "../tokens/token-schemas";

export interface ImportTarget {
  layer: LayerKind;
  service: string | null;
  env: string | null;
  format: ConfigFormat;
}

export type PathResult = { ok: true; target: ImportTarget } | { ok: false; detail: string };

const FORMAT_OF: Record<string, ConfigFormat> = { yaml: "yaml", yml: "yaml", json: "json", env: "env" };
const NAME_RULE = "names are lower-case letters, digits and dashes, starting with a letter or digit, up to 63";
const LAYOUT = "expected <service>/<environment>.(yaml|yml|json|env), <service>/base.(yaml|yml|json|env) or shared.(yaml|yml|json)";

/** Where an imported file goes, read from its path relative to the import directory. */
export function parseImportPath(path: string): PathResult {
  const parts = path.replace(/^\.\//, "").split("/");
  if (parts.some((p) => p === "" || p === "." || p === "..")) return { ok: false, detail: `${path}: not a relative path inside the import directory; ${LAYOUT}` };

  if (parts.length === 1) {
    const m = /^shared\.(yaml|yml|json)$/.exec(parts[0]!);
    if (!m) return { ok: false, detail: `${path}: the only file at the top level is the shared template, shared.(yaml|yml|json); ${LAYOUT}` };
    return { ok: true, target: { layer: "shared", service: null, env: null, format: FORMAT_OF[m[1]!]! } };
  }
  if (parts.length !== 2) return { ok: false, detail: `${path}: too deep; ${LAYOUT}` };

  const [service, file] = parts as [string, string];
  const m = /^(.+)\.(yaml|yml|json|env)$/.exec(file);
  if (!m) return { ok: false, detail: `${path}: unknown file type; ${LAYOUT}` };
  const [, stem, ext] = m as unknown as [string, string, string];
  if (!NAME_RE.test(service)) return { ok: false, detail: `${JSON.stringify(service)} is not a valid service name: ${NAME_RULE}` };
  const format = FORMAT_OF[ext]!;
  if (stem === "base") return { ok: true, target: { layer: "base", service, env: null, format } };
  if (!NAME_RE.test(stem)) return { ok: false, detail: `${JSON.stringify(stem)} is not a valid environment name: ${NAME_RULE}` };
  return { ok: true, target: { layer: "overlay", service, env: stem, format } };
}

/** One key per layer: two files that would write the same layer collide. */
export function layerKey(t: Pick<ImportTarget, "layer" | "service" | "env">): string {
  return `${t.layer}/${t.service ?? ""}/${t.env ?? ""}`;
}
