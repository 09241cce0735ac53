/**
 * The resolved config of a service in an environment: global shared template → service base →
 * environment overlay, deep-merged, then interpolated; with the provenance of every leaf.
 */
import { isConfigObject, type ConfigObject, type ConfigValue, type FieldError } from "./config-value";
import { interpolate, type InterpolationRef } from "./interpolate";
import { mergeLayers } from "./merge-layers";
import { childPointer, getAt } from "./pointer";

export type LayerKind = "shared" | "base" | "overlay";
export type RevisionRef = { id: string; number: number };
export type ResolveLayer = { kind: LayerKind; value: ConfigObject | null; revision: RevisionRef | null };
export type Provenance = {
  layer: LayerKind | "variable" | "secret";
  /** Revision of the layer that wrote the value (for variable/secret: that wrote the reference). */
  revision: RevisionRef | null;
  /** Variable or secret name(s) the value came through, comma-separated when several. */
  via?: string;
  /** For variable/secret values, the config layer where the reference is written. */
  definedIn?: LayerKind;
};
export type ResolveInput = {
  layers: ResolveLayer[];
  env: string;
  service: string;
  vars: Record<string, string>;
  secrets: Record<string, string> | null;
  maskSecrets: boolean;
};
export type ResolveResult =
  | { ok: true; value: ConfigObject; provenance: Record<string, Provenance>; secretPaths: string[] }
  | { ok: false; errors: FieldError[] };

const RANK: Record<LayerKind, number> = { shared: 0, base: 1, overlay: 2 };

export function resolveConfig(input: ResolveInput): ResolveResult {
  // Precedence comes from the kind, not from the order the caller happened to list layers in.
  const layers = input.layers.map((l, i) => ({ l, i })).sort((a, b) => RANK[a.l.kind] - RANK[b.l.kind] || a.i - b.i).map((x) => x.l);
  const merged = mergeLayers(...layers.map((l) => l.value));
  const result = interpolate(merged, input);
  if (!result.ok) return result;

  const provenance: Record<string, Provenance> = {};
  const refsAt = new Map<string, InterpolationRef[]>();
  for (const ref of result.refs) refsAt.set(ref.pointer, [...(refsAt.get(ref.pointer) ?? []), ref]);

  const origin = (pointer: string): ResolveLayer | null => {
    for (let i = layers.length - 1; i >= 0; i--) {
      const v = getAt(layers[i]!.value ?? undefined, pointer);
      if (v !== undefined && v !== null) return layers[i]!;
    }
    return null;
  };
  const record = (pointer: string, decidedAt: string) => {
    const layer = origin(decidedAt);
    const base = { revision: layer?.revision ?? null };
    const refs = refsAt.get(pointer) ?? [];
    const secrets = unique(refs.filter((r) => r.kind === "secret"));
    const vars = unique(refs.filter((r) => r.kind === "var"));
    if (secrets.length > 0) provenance[pointer] = { layer: "secret", ...base, via: secrets.join(", "), ...(layer ? { definedIn: layer.kind } : {}) };
    else if (vars.length > 0) provenance[pointer] = { layer: "variable", ...base, via: vars.join(", "), ...(layer ? { definedIn: layer.kind } : {}) };
    else provenance[pointer] = { layer: layer?.kind ?? "overlay", ...base };
  };
  // Arrays replace whole, so whoever set the outermost array decides every element inside it.
  const walk = (v: ConfigValue, pointer: string, arrayRoot: string | null) => {
    const decidedAt = arrayRoot ?? pointer;
    if (Array.isArray(v)) {
      if (v.length === 0) record(pointer, decidedAt);
      v.forEach((x, i) => walk(x, childPointer(pointer, i), arrayRoot ?? pointer));
    } else if (isConfigObject(v)) {
      const keys = Object.keys(v);
      if (keys.length === 0 && pointer !== "") record(pointer, decidedAt);
      for (const k of keys) walk(v[k] as ConfigValue, childPointer(pointer, k), arrayRoot);
    } else {
      record(pointer, decidedAt);
    }
  };
  walk(result.value, "", null);
  return { ok: true, value: result.value, provenance, secretPaths: result.secretPaths };
}

function unique(refs: InterpolationRef[]): string[] {
  return [...new Set(refs.map((r) => r.name))];
}
