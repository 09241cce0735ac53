/**
 * Turns a config document written by a person (YAML, JSON or .env) into a ConfigObject, refusing
 * anything that could hurt the server: oversized input, alias bombs, absurd nesting, prototype keys.
 */
import { isScalar, LineCounter, parseDocument, visit, type Document } from "yaml";
import { FORBIDDEN_KEYS, setOwn, type ConfigObject, type ConfigValue, type FieldError } from "./config-value";
import { findExcessiveJsonDepth, findJsonSyntaxError, offsetToLineColumn } from "./json-syntax";
import { parseEnv } from "./parse-env";
import { childPointer } from "./pointer";
import { findExcessiveYamlNesting, locateInYaml } from "./yaml-source";

export type { ConfigObject, ConfigValue, FieldError } from "./config-value";

export type ConfigFormat = "yaml" | "json" | "env";
export type SourcePosition = { line: number; column: number };
export type ParseErrorKind = "syntax" | "too_large" | "too_deep" | "forbidden_key" | "not_object" | "nul_character";
export type ParseResult =
  | { ok: true; value: ConfigObject; locate(pointer: string): SourcePosition | null }
  | { ok: false; kind: ParseErrorKind; errors: FieldError[] };

export const MAX_SOURCE_BYTES = 1024 * 1024;
export const MAX_DEPTH = 64;
/** Budget for the value after alias expansion, in (approximate) bytes of its JSON text. */
export const MAX_EXPANDED_BYTES = 8 * 1024 * 1024;
const MAX_ALIAS_COUNT = 100;
const MAX_REPORTED_ERRORS = 20;

export function parseConfigSource(source: string, format: ConfigFormat): ParseResult {
  const bytes = Buffer.byteLength(source, "utf8");
  if (bytes > MAX_SOURCE_BYTES) {
    return fail("too_large", "", `the document is ${bytes} bytes; the limit is ${MAX_SOURCE_BYTES} bytes (1 MiB)`);
  }
  const src = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  // PostgreSQL's text and jsonb cannot hold U+0000: refuse it here rather than fail at the insert.
  const rawNul = src.indexOf("\u0000");
  if (rawNul >= 0) return fail("nul_character", "", NUL_MESSAGE, offsetToLineColumn(src, rawNul));
  let parsed: ParseResult;
  if (format === "env") {
    const r = parseEnv(src);
    if (!r.ok) return r;
    parsed = { ok: true, value: r.value, locate: (p) => (p === "" ? { line: 1, column: 1 } : (r.positions.get(p) ?? null)) };
  } else {
    parsed = format === "json" ? parseJson(src) : parseYaml(src);
  }
  if (!parsed.ok) return parsed;
  // Escapes (JSON "\u0000", YAML "\0") produce it too.
  const at = findNul(parsed.value, "");
  return at === null ? parsed : fail("nul_character", at, NUL_MESSAGE, parsed.locate(at) ?? undefined);
}

export const NUL_MESSAGE = "the NUL character (U+0000) and unpaired surrogates (\\uD800–\\uDFFF) cannot be stored; remove them";

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Whether PostgreSQL's text and json types can hold `s` (no U+0000, no unpaired surrogate). */
const unstorable = (s: string) => s.includes("\u0000") || LONE_SURROGATE.test(s);

/**
 * The JSON pointer of the first key or string holding U+0000 in a parsed value, or null.
 * Iterative: request bodies are not depth-limited, and JSON.parse accepts thousands of levels.
 */
export function findNul(value: unknown, pointer: string = ""): string | null {
  const stack: [unknown, string][] = [[value, pointer]];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === "string") {
      if (unstorable(v)) return at;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], childPointer(at, String(i))]);
    } else if (v !== null && typeof v === "object") {
      const entries = Object.entries(v);
      for (const [k] of entries) if (unstorable(k)) return childPointer(at, k);
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i]![1], childPointer(at, entries[i]![0])]);
    }
  }
  return null;
}

function parseJson(src: string): ParseResult {
  if (src.trim() === "") return { ok: true, value: {}, locate: () => null };
  const deep = findExcessiveJsonDepth(src, MAX_DEPTH);
  if (deep !== null) return fail("too_deep", "", `nesting is deeper than ${MAX_DEPTH} levels`, offsetToLineColumn(src, deep));
  let raw: unknown;
  try {
    raw = JSON.parse(src);
  } catch (e) {
    const found = findJsonSyntaxError(src) ?? { offset: 0, message: e instanceof Error ? e.message : "invalid JSON" };
    return fail("syntax", "", `invalid JSON: ${found.message}`, offsetToLineColumn(src, found.offset));
  }
  // JSON is YAML, so the YAML document gives source positions; built only when someone asks.
  let located: { doc: Document; lc: LineCounter } | null = null;
  const locate = (pointer: string) => {
    if (!located) {
      const lc = new LineCounter();
      located = { doc: parseDocument(src, { lineCounter: lc, uniqueKeys: false }), lc };
    }
    return locateInYaml(located.doc, located.lc, pointer);
  };
  return finish(raw, locate);
}

function parseYaml(src: string): ParseResult {
  const lc = new LineCounter();
  const deep = findExcessiveYamlNesting(src, MAX_DEPTH);
  if (deep !== null) return fail("too_deep", "", `nesting is deeper than ${MAX_DEPTH} levels`, offsetToLineColumn(src, deep));
  const doc = parseDocument(src, { lineCounter: lc, prettyErrors: false, uniqueKeys: false, merge: true });
  const at = (offset: number | undefined) => (offset === undefined ? undefined : offsetToLineColumn(src, offset));
  if (doc.errors.length > 0) {
    if (doc.errors.some((e) => e.code === "RESOURCE_EXHAUSTION")) {
      return fail("too_deep", "", `nesting is deeper than ${MAX_DEPTH} levels`, at(doc.errors[0]!.pos[0]));
    }
    const errors = doc.errors.slice(0, MAX_REPORTED_ERRORS).map((e) => ({ path: "", message: e.message, ...at(e.pos[0]) }));
    return { ok: false, kind: "syntax", errors };
  }

  // One pass over the nodes. Duplicate keys are checked here with a Set because yaml's own
  // uniqueKeys check is quadratic (40,000 keys: 13 s). The expansion of aliases is estimated from
  // the source size of their targets before anything is built: maxAliasCount stops exponential
  // bombs, this stops wide ones.
  let expanded = src.length;
  let problem: FieldError | null = null;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key) || typeof key.value === "symbol") continue;
        const name = String(key.value ?? "");
        if (seen.has(name)) {
          problem = { path: "", message: `duplicate key ${JSON.stringify(name)}: keys must be unique`, ...at(key.range?.[0]) };
          return visit.BREAK;
        }
        seen.add(name);
      }
    },
    Alias(_, node) {
      const target = node.resolve(doc);
      if (!target) {
        problem = { path: "", message: `unknown alias *${node.source}: an anchor &${node.source} must come before its use`, ...at(node.range?.[0]) };
        return visit.BREAK;
      }
      expanded += target.range ? target.range[2] - target.range[0] : 0;
    },
  });
  if (problem) return { ok: false, kind: "syntax", errors: [problem] };
  if (expanded > MAX_EXPANDED_BYTES) return aliasBomb();

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/excessive alias count/i.test(message)) return aliasBomb();
    return fail("syntax", "", message);
  }
  if (raw === null && doc.contents === null) raw = {};
  return finish(raw, (pointer) => locateInYaml(doc, lc, pointer));
}

function aliasBomb(): ParseResult {
  return fail("too_large", "", "the document's YAML aliases expand to a value that is too large (possible alias bomb)");
}

class Refusal {
  constructor(
    readonly kind: ParseErrorKind,
    readonly path: string,
    readonly message: string,
  ) {}
}

/** Copies a parsed value into fresh plain objects, checking depth, keys, size and JSON-ness. */
function finish(raw: unknown, locate: (pointer: string) => SourcePosition | null): ParseResult {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    const what = Array.isArray(raw) ? "a list" : raw === null ? "null" : `a ${typeof raw}`;
    return fail("not_object", "", `the top level must be a mapping of keys to values, not ${what}`, locate("") ?? undefined);
  }
  let budget = MAX_EXPANDED_BYTES;
  const copy = (v: unknown, pointer: string, depth: number): ConfigValue => {
    if ((budget -= 8) < 0) throw new Refusal("too_large", "", "the document expands to a value that is too large");
    if (v === null || typeof v === "boolean" || typeof v === "string") {
      if (typeof v === "string" && (budget -= v.length) < 0) throw new Refusal("too_large", "", "the document expands to a value that is too large");
      return v;
    }
    if (typeof v === "number") {
      if (!Number.isFinite(v)) throw new Refusal("syntax", pointer, "numbers must be finite (.inf and .nan have no JSON form)");
      return v;
    }
    if (typeof v !== "object") throw new Refusal("syntax", pointer, `unsupported value of type ${typeof v}`);
    if (depth > MAX_DEPTH) throw new Refusal("too_deep", pointer, `nesting is deeper than ${MAX_DEPTH} levels`);
    if (Array.isArray(v)) return v.map((x, i) => copy(x, childPointer(pointer, i), depth + 1));
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw new Refusal("syntax", pointer, "unsupported value (only mappings, lists, strings, numbers, booleans and null)");
    const out: ConfigObject = {};
    for (const key of Object.keys(v)) {
      const child = childPointer(pointer, key);
      if (FORBIDDEN_KEYS.has(key)) throw new Refusal("forbidden_key", child, `key ${JSON.stringify(key)} is not allowed`);
      budget -= key.length;
      setOwn(out, key, copy((v as Record<string, unknown>)[key], child, depth + 1));
    }
    return out;
  };
  try {
    return { ok: true, value: copy(raw, "", 1) as ConfigObject, locate };
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    return fail(e.kind, e.path, e.message, locate(e.path) ?? undefined);
  }
}

function fail(kind: ParseErrorKind, path: string, message: string, pos?: SourcePosition): ParseResult {
  return { ok: false, kind, errors: [{ path, message, ...(pos ? { line: pos.line, column: pos.column } : {}) }] };
}
