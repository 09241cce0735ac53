/** Helpers over a parsed YAML document: a cheap nesting guard and pointer → source position. */
import { isAlias, isMap, isScalar, isSeq, Lexer, type Document, type LineCounter, type Node } from "yaml";
import { parsePointer } from "./pointer";

/** Lexer markers that stand for structure but occupy no characters of the source. */
const ZERO_WIDTH = new Set(["\x02", "\x18", "\x1f"]);

/**
 * The offset where nesting first exceeds `max`, counting flow collections (`[`, `{`) and compact
 * block sequences on one line (`- - - x`), or null. yaml's composer is recursive and takes seconds
 * on a 1 MiB "[[[[…", so this runs first, on yaml's own lexer (the same tokens the parser sees),
 * and stops at the first excess.
 */
export function findExcessiveYamlNesting(src: string, max: number): number | null {
  let offset = 0;
  let flow = 0;
  let run = 0;
  for (const tok of new Lexer().lex(src)) {
    if (tok === "[" || tok === "{") {
      if (++flow > max) return offset;
    } else if (tok === "]" || tok === "}") {
      flow = Math.max(0, flow - 1);
    } else if (tok === "-" || tok === "?") {
      if (++run > max) return offset;
    } else if (tok.includes("\n") || (!ZERO_WIDTH.has(tok) && tok.trim() !== "")) {
      run = 0;
    }
    if (!ZERO_WIDTH.has(tok)) offset += tok.length;
  }
  return null;
}

/**
 * Line and column of the key (for a mapping member) or the item (for a sequence element) that a
 * JSON pointer into the document's value designates. Follows aliases and `<<` merge keys.
 */
export function locateInYaml(doc: Document, lc: LineCounter, pointer: string): { line: number; column: number } | null {
  let segments: string[];
  try {
    segments = parsePointer(pointer);
  } catch {
    return null;
  }
  const at = (offset: number | undefined) => {
    if (offset === undefined) return null;
    const p = lc.linePos(offset);
    return { line: p.line, column: p.col };
  };
  let node: unknown = doc.contents;
  if (segments.length === 0) return node ? at((node as Node).range?.[0]) : { line: 1, column: 1 };
  let pos: { line: number; column: number } | null = null;
  for (const seg of segments) {
    node = deref(doc, node);
    if (isMap(node)) {
      const found = findPair(doc, node, seg, 0);
      if (!found) return null;
      pos = at((found.key as Node).range?.[0]);
      node = found.value;
    } else if (isSeq(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(seg)) return null;
      const item = node.items[Number(seg)];
      if (item === undefined) return null;
      pos = at((item as Node | null)?.range?.[0]) ?? pos;
      node = item;
    } else {
      return null;
    }
  }
  return pos;
}

function deref(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

type PairLike = { key: unknown; value: unknown };

function findPair(doc: Document, map: { items: PairLike[] }, seg: string, depth: number): PairLike | null {
  if (depth > 16) return null;
  // Last match wins, as JSON.parse does with duplicate keys (YAML refuses duplicates anyway).
  for (let i = map.items.length - 1; i >= 0; i--) {
    const pair = map.items[i]!;
    const key = pair.key;
    if (isScalar(key) && typeof key.value !== "symbol" && String(key.value ?? "") === seg) return pair;
  }
  for (const pair of map.items) {
    if (!isMergeKey(pair.key)) continue;
    const sources = deref(doc, pair.value);
    const list = isSeq(sources) ? sources.items.map((s) => deref(doc, s)) : [sources];
    for (const src of list) {
      if (isMap(src)) {
        const hit = findPair(doc, src as unknown as { items: PairLike[] }, seg, depth + 1);
        if (hit) return hit;
      }
    }
  }
  return null;
}

/** With `merge: true`, yaml resolves a plain `<<` key to a scalar holding Symbol("<<"). */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === "symbol" && key.value.description === "<<";
}
