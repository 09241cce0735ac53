/**
 * Drift: the path-level difference between the config a service should run (desired, resolved
 * from the SSOT) and the one it reports running (observed). Unlike diffConfigs, arrays are walked
 * element by element, so that one element of a list can be reported (and ignored) on its own.
 * Secret paths are compared by whatever the caller put there (keyed hashes), and no value at or
 * under a secret path ever leaves this module.
 */
import picomatch from "picomatch";
import { hasOwn, isConfigObject, setOwn, type ConfigObject, type ConfigValue } from "./config-value";
import { childPointer, isUnder, parsePointer } from "./pointer";

export type DriftKind = "missing" | "unexpected" | "changed";
export interface DriftEntry {
  path: string;
  kind: DriftKind;
  /** The desired value (absent for "unexpected" and for secrets). */
  expected?: ConfigValue;
  /** The observed value (absent for "missing" and for secrets). */
  observed?: ConfigValue;
  /** A secret: only whether it differs is said, never a value. */
  secret?: true;
}

export const SECRET_MASK = "••••";

/** A compiled set of ignore rules: JSON pointers (a path and everything under it) or globs over pointers. */
export interface IgnoreMatcher {
  (pointer: string): boolean;
}

const GLOB_CHARS = /[*?[\]{}!]/;

/** True when a rule is a glob (`/runtime/**`, `/workers/*‌/pid`) rather than a plain JSON pointer. */
export function isGlobRule(rule: string): boolean {
  return GLOB_CHARS.test(rule);
}

/** Checks one ignore rule; returns the reason it is refused, or null when it is fine. */
export function ignoreRuleProblem(rule: string): string | null {
  if (rule === "" || rule === "/") return "a rule must name a path below the root (ignoring everything would hide all drift)";
  if (!rule.startsWith("/")) return 'a rule is a JSON pointer or a glob over pointers and starts with "/", e.g. /runtime/** or /workers/*/pid';
  if (rule.length > 500) return "a rule is at most 500 characters";
  if (isGlobRule(rule)) {
    try {
      picomatch.makeRe(rule);
    } catch (e) {
      return `not a valid glob: ${(e as Error).message}`;
    }
    return null;
  }
  try {
    parsePointer(rule);
  } catch (e) {
    return (e as Error).message;
  }
  return null;
}

export function compileIgnoreRules(rules: readonly string[]): IgnoreMatcher {
  const pointers = rules.filter((r) => !isGlobRule(r));
  const globs = rules.filter(isGlobRule);
  const glob = globs.length > 0 ? picomatch(globs, { dot: true }) : null;
  if (pointers.length === 0 && !glob) return () => false;
  return (pointer) => pointers.some((p) => isUnder(pointer, p)) || (glob !== null && glob(pointer));
}

export interface DriftInput {
  desired: ConfigObject;
  observed: ConfigObject;
  /** Pointers whose values are secrets (on either side). */
  secretPaths?: readonly string[];
  ignore?: IgnoreMatcher;
}

/**
 * Every path where observed differs from desired, in the desired document's order (members only
 * the observed side has come after the desired ones at each level). An ignored path (and everything
 * under it) is left out; a value above an ignored path is compared without it.
 */
export function diffDrift({ desired, observed, secretPaths = [], ignore = () => false }: DriftInput): DriftEntry[] {
  const out: DriftEntry[] = [];
  const secrets = new Set(secretPaths);
  const isSecret = (p: string) => secrets.has(p) || secretPaths.some((s) => isUnder(p, s));
  const hasSecretBelow = (p: string) => secretPaths.some((s) => s !== p && isUnder(s, p));
  // Values above a secret are shown with the secret members masked, and ignored members left out.
  const shown = (v: ConfigValue, p: string): ConfigValue => clean(v, p, isSecret, ignore, hasSecretBelow);

  const walk = (d: ConfigValue | undefined, o: ConfigValue | undefined, p: string) => {
    if (p !== "" && ignore(p)) return;
    if (d === undefined && o === undefined) return;
    if (d === undefined) {
      const v = shown(o!, p);
      if (isEmptyAfterIgnore(o!, v)) return;
      out.push(isSecret(p) ? { path: p, kind: "unexpected", secret: true } : { path: p, kind: "unexpected", observed: v });
      return;
    }
    if (o === undefined) {
      const v = shown(d, p);
      if (isEmptyAfterIgnore(d, v)) return;
      out.push(isSecret(p) ? { path: p, kind: "missing", secret: true } : { path: p, kind: "missing", expected: v });
      return;
    }
    if (isConfigObject(d) && isConfigObject(o)) {
      for (const k of Object.keys(d)) walk(d[k], hasOwn(o, k) ? o[k] : undefined, childPointer(p, k));
      for (const k of Object.keys(o)) if (!hasOwn(d, k)) walk(undefined, o[k], childPointer(p, k));
      return;
    }
    if (Array.isArray(d) && Array.isArray(o)) {
      const n = Math.max(d.length, o.length);
      for (let i = 0; i < n; i++) walk(i < d.length ? d[i] : undefined, i < o.length ? o[i] : undefined, childPointer(p, i));
      return;
    }
    if (sameValue(d, o)) return;
    if (isSecret(p)) out.push({ path: p, kind: "changed", secret: true });
    else out.push({ path: p, kind: "changed", expected: shown(d, p), observed: shown(o, p) });
  };
  walk(desired, observed, "");
  return out;
}

function sameValue(a: ConfigValue, b: ConfigValue): boolean {
  // Scalars only reach here (or an object against a list, which is never equal).
  return a === b || (typeof a === "number" && typeof b === "number" && a === b);
}

/** A whole subtree that consisted of ignored members only is not drift. */
function isEmptyAfterIgnore(original: ConfigValue, cleaned: ConfigValue): boolean {
  if (isConfigObject(original) && isConfigObject(cleaned)) return Object.keys(original).length > 0 && Object.keys(cleaned).length === 0;
  return false;
}

function clean(
  v: ConfigValue,
  p: string,
  isSecret: (p: string) => boolean,
  ignore: IgnoreMatcher,
  hasSecretBelow: (p: string) => boolean,
): ConfigValue {
  if (isSecret(p)) return SECRET_MASK;
  if (Array.isArray(v)) return v.map((x, i) => clean(x, childPointer(p, i), isSecret, ignore, hasSecretBelow));
  if (isConfigObject(v)) {
    const out: ConfigObject = {};
    for (const k of Object.keys(v)) {
      const c = childPointer(p, k);
      if (ignore(c)) continue;
      setOwn(out, k, clean(v[k]!, c, isSecret, ignore, hasSecretBelow));
    }
    return out;
  }
  return v;
}

/** Counts of a drift by kind, for boards and events. */
export function countDrift(entries: readonly DriftEntry[]): Record<DriftKind, number> {
  const c: Record<DriftKind, number> = { missing: 0, unexpected: 0, changed: 0 };
  for (const e of entries) c[e.kind] += 1;
  return c;
}

/**
 * The overlay that makes the resolved config equal the observed one at the drifted paths ("adopt
 * observed"): each non-secret entry is written into the overlay (a missing key becomes null, which
 * removes it in the merge). Arrays replace whole in a merge, so an element's drift writes the whole
 * observed array. Secrets cannot be adopted (Nexus never learns their values): they are returned apart.
 */
export function adoptObserved(
  overlay: ConfigObject,
  entries: readonly DriftEntry[],
  observed: ConfigObject,
): { overlay: ConfigObject; adopted: string[]; skippedSecrets: string[] } {
  const next = structuredClone(overlay) as ConfigObject;
  const adopted: string[] = [];
  const skippedSecrets: string[] = [];
  for (const e of entries) {
    if (e.secret) {
      skippedSecrets.push(e.path);
      continue;
    }
    const segments = parsePointer(e.path);
    // Stop at the first array: arrays are replaced whole by a layer.
    let cut = segments.length;
    let cur: ConfigValue | undefined = observed;
    for (let i = 0; i < segments.length; i++) {
      if (Array.isArray(cur)) {
        cut = i;
        break;
      }
      cur = isConfigObject(cur) && hasOwn(cur, segments[i]!) ? cur[segments[i]!] : undefined;
    }
    const target = segments.slice(0, cut);
    if (target.length === 0) continue;
    const value = valueAt(observed, target);
    setPath(next, target, value === undefined ? null : structuredClone(value));
    adopted.push(e.path);
  }
  return { overlay: next, adopted, skippedSecrets };
}

function valueAt(root: ConfigValue, segments: string[]): ConfigValue | undefined {
  let cur: ConfigValue | undefined = root;
  for (const s of segments) {
    if (Array.isArray(cur)) cur = /^\d+$/.test(s) ? cur[Number(s)] : undefined;
    else if (isConfigObject(cur)) cur = hasOwn(cur, s) ? cur[s] : undefined;
    else return undefined;
  }
  return cur;
}

function setPath(root: ConfigObject, segments: string[], value: ConfigValue): void {
  let cur = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const s = segments[i]!;
    const child = hasOwn(cur, s) ? cur[s] : undefined;
    if (!isConfigObject(child)) setOwn(cur, s, {});
    cur = cur[s] as ConfigObject;
  }
  setOwn(cur, segments.at(-1)!, value);
}

/** Replaces the values at the given pointers with `hash(value)`; used on both sides before a diff. */
export function hashAtPaths(value: ConfigObject, paths: readonly string[], hash: (v: ConfigValue) => string): ConfigObject {
  if (paths.length === 0) return value;
  const copy = structuredClone(value) as ConfigObject;
  for (const p of paths) {
    const segments = parsePointer(p);
    if (segments.length === 0) continue;
    let cur: ConfigValue | undefined = copy;
    for (const s of segments.slice(0, -1)) {
      if (Array.isArray(cur)) cur = cur[Number(s)];
      else if (isConfigObject(cur)) cur = hasOwn(cur, s) ? cur[s] : undefined;
      else cur = undefined;
    }
    const last = segments.at(-1)!;
    if (Array.isArray(cur) && /^\d+$/.test(last) && Number(last) < cur.length) cur[Number(last)] = hash(cur[Number(last)]!);
    else if (isConfigObject(cur) && hasOwn(cur, last)) setOwn(cur, last, hash(cur[last]!));
  }
  return copy;
}

/** Keys whose values look like credentials: an observed report hashes them even where the SSOT has no secret. */
export const SENSITIVE_KEY = /(pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential)s?$/i;

/** Pointers of scalar leaves whose key looks sensitive. */
export function sensitivePaths(value: ConfigValue, p = ""): string[] {
  const out: string[] = [];
  if (Array.isArray(value)) value.forEach((x, i) => out.push(...sensitivePaths(x, childPointer(p, i))));
  else if (isConfigObject(value)) {
    for (const k of Object.keys(value)) {
      const c = childPointer(p, k);
      const v = value[k]!;
      if (SENSITIVE_KEY.test(k) && !isConfigObject(v) && !Array.isArray(v) && v !== null) out.push(c);
      else out.push(...sensitivePaths(v, c));
    }
  }
  return out;
}
