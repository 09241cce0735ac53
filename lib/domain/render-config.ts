/** Output of a resolved config as JSON, YAML, a .env file, or a Kubernetes ConfigMap manifest. */
import { stringify } from "yaml";
import { isConfigObject, setOwn, type ConfigObject, type ConfigValue } from "./config-value";
import { childPointer, isUnder } from "./pointer";

export type RenderFormat = "json" | "yaml" | "env" | "configmap";
export type RenderOptions = { name: string; env: string; secretPaths: readonly string[] };
export type Rendered = { body: string; contentType: string };

// No anchors for repeated objects, no folding of long strings: output meant for machines and diffs.
const YAML_OPTIONS = { aliasDuplicateObjects: false, lineWidth: 0 } as const;

export function renderConfig(value: ConfigObject, format: RenderFormat, opts: RenderOptions): Rendered {
  switch (format) {
    case "json":
      return { body: JSON.stringify(value, null, 2) + "\n", contentType: "application/json" };
    case "yaml":
      return { body: stringify(value, YAML_OPTIONS), contentType: "application/yaml" };
    case "env": {
      const lines = flattenForEnv(value, []).map(({ key, value: v }) => `${key}=${envValue(v)}`);
      return { body: lines.length ? lines.join("\n") + "\n" : "", contentType: "text/plain; charset=utf-8" };
    }
    case "configmap": {
      const data: ConfigObject = {};
      for (const { key, value: v } of flattenForEnv(value, opts.secretPaths)) setOwn(data, key, scalarText(v));
      const manifest = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
          name: `${opts.name}-config`,
          labels: { "app.kubernetes.io/name": opts.name, "app.kubernetes.io/managed-by": "nexus", "nexus/environment": opts.env },
        },
        data,
      };
      return { body: stringify(manifest, YAML_OPTIONS), contentType: "application/yaml" };
    }
  }
}

type Flat = { key: string; pointer: string; value: string | number | boolean | null };

/**
 * Leaves as environment-style keys: path segments upper-cased, non-alphanumerics turned to "_",
 * joined by "_", array elements by index (SERVERS_0). Empty objects and arrays produce nothing.
 * Two paths can collapse to the same key (`a.b` and `a_b`); the first in document order wins so
 * the output stays deterministic. Leaves at or under an excluded pointer are left out.
 */
export function flattenForEnv(value: ConfigObject, exclude: readonly string[]): Flat[] {
  const out: Flat[] = [];
  const seen = new Set<string>();
  const walk = (v: ConfigValue, pointer: string, parts: string[]) => {
    if (exclude.some((p) => isUnder(pointer, p))) return;
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, childPointer(pointer, i), [...parts, String(i)]));
    else if (isConfigObject(v)) for (const k of Object.keys(v)) walk(v[k]!, childPointer(pointer, k), [...parts, k]);
    else {
      const key = envKey(parts);
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ key, pointer, value: v });
    }
  };
  walk(value, "", []);
  return out;
}

export function envKey(parts: readonly string[]): string {
  const key = parts.map((p) => p.replace(/[^A-Za-z0-9]/g, "_").toUpperCase()).join("_");
  // Environment variable names cannot start with a digit.
  return /^[0-9]/.test(key) || key === "" ? "_" + key : key;
}

function scalarText(v: string | number | boolean | null): string {
  return v === null ? "" : typeof v === "string" ? v : JSON.stringify(v);
}

function envValue(v: string | number | boolean | null): string {
  const text = scalarText(v);
  if (typeof v !== "string") return text;
  if (text !== "" && !/[\s#"'\\]/.test(text)) return text;
  const escaped = text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
  return `"${escaped}"`;
}
