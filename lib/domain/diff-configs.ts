/**
 * Structural diff of two config values. Objects are compared member by member; arrays and
 * scalars are compared as whole values, because layers replace arrays whole and a per-index diff
 * of a shifted list reads as noise. applyDiff(a, diffConfigs(a, b)) equals b exactly.
 */
import { cloneValue, deepEqual, hasOwn, isConfigObject, setOwn, type ConfigObject, type ConfigValue } from "./config-value";
import { childPointer, getAt, isArrayIndex, isUnder, parsePointer, toPointer } from "./pointer";

export type DiffEntry = { path: string; kind: "added" | "removed" | "changed"; before?: ConfigValue; after?: ConfigValue };

export const MASK = "••••";

export function diffConfigs(a: ConfigValue, b: ConfigValue): DiffEntry[] {
  const out: { segments: string[]; entry: DiffEntry }[] = [];
  const walk = (x: ConfigValue, y: ConfigValue, segments: string[]) => {
    if (isConfigObject(x) && isConfigObject(y)) {
      for (const k of Object.keys(x)) {
        const path = [...segments, k];
        if (!hasOwn(y, k)) out.push({ segments: path, entry: { path: toPointer(path), kind: "removed", before: cloneValue(x[k]!) } });
        else walk(x[k]!, y[k]!, path);
      }
      for (const k of Object.keys(y)) {
        const path = [...segments, k];
        if (!hasOwn(x, k)) out.push({ segments: path, entry: { path: toPointer(path), kind: "added", after: cloneValue(y[k]!) } });
      }
    } else if (!deepEqual(x, y)) {
      out.push({ segments, entry: { path: toPointer(segments), kind: "changed", before: cloneValue(x), after: cloneValue(y) } });
    }
  };
  walk(a, b, []);
  return out.sort((p, q) => compareSegments(p.segments, q.segments)).map((x) => x.entry);
}

/** Segment by segment, by code unit: a parent sorts right before its children, deterministically. */
function compareSegments(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}

export function applyDiff(a: ConfigValue, diff: readonly DiffEntry[]): ConfigValue {
  let root = cloneValue(a);
  for (const entry of diff) {
    const segments = parsePointer(entry.path);
    if (segments.length === 0) {
      if (entry.kind === "removed") throw new Error("a diff cannot remove the root value");
      root = cloneValue(entry.after ?? null);
      continue;
    }
    const parent = getAt(root, toPointer(segments.slice(0, -1)));
    const key = segments.at(-1)!;
    if (Array.isArray(parent) && isArrayIndex(key) && Number(key) <= parent.length) {
      if (entry.kind === "removed") parent.splice(Number(key), 1);
      else parent[Number(key)] = cloneValue(entry.after ?? null);
    } else if (isConfigObject(parent)) {
      if (entry.kind === "removed") delete parent[key];
      else setOwn(parent, key, cloneValue(entry.after ?? null));
    } else {
      throw new Error(`cannot apply the diff at ${entry.path}: its parent is not an object`);
    }
  }
  return root;
}

/**
 * Hides secret values in a diff: entries at or under a secret path lose their values entirely;
 * entries above one (a whole object or list that changed) get the secret members inside masked.
 */
export function maskDiff(diff: readonly DiffEntry[], secretPaths: readonly string[]): DiffEntry[] {
  return diff.map((entry) => {
    if (secretPaths.some((s) => isUnder(entry.path, s))) {
      return { ...entry, ...("before" in entry ? { before: MASK } : {}), ...("after" in entry ? { after: MASK } : {}) };
    }
    const inside = secretPaths.filter((s) => isUnder(s, entry.path));
    if (inside.length === 0) return entry;
    const hide = (v: ConfigValue | undefined) => (v === undefined ? undefined : maskWithin(v, entry.path, inside));
    const out: DiffEntry = { ...entry };
    if ("before" in entry) out.before = hide(entry.before);
    if ("after" in entry) out.after = hide(entry.after);
    return out;
  });
}

function maskWithin(value: ConfigValue, base: string, secretPaths: string[]): ConfigValue {
  const copy = cloneValue(value);
  const visit = (v: ConfigValue, pointer: string): ConfigValue => {
    if (secretPaths.includes(pointer)) return MASK;
    if (Array.isArray(v)) return v.map((x, i) => visit(x, childPointer(pointer, i)));
    if (isConfigObject(v)) {
      const out: ConfigObject = {};
      for (const k of Object.keys(v)) setOwn(out, k, visit(v[k]!, childPointer(pointer, k)));
      return out;
    }
    return v;
  };
  return visit(copy, base);
}
