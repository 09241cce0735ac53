/** JSON Pointer (RFC 6901): "" is the whole document, "/a/0/b~1c" is a → 0 → "b/c". */
import { hasOwn, isConfigObject, type ConfigValue } from "./config-value";

export function escapeSegment(segment: string | number): string {
  return String(segment).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function toPointer(segments: readonly (string | number)[]): string {
  let out = "";
  for (const s of segments) out += "/" + escapeSegment(s);
  return out;
}

export function childPointer(parent: string, segment: string | number): string {
  return parent + "/" + escapeSegment(segment);
}

export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new Error(`invalid JSON pointer ${JSON.stringify(pointer)}: must be empty or start with "/"`);
  return pointer
    .slice(1)
    .split("/")
    .map((s) => {
      // "~" must be followed by 0 or 1; anything else would decode ambiguously.
      if (/~(?![01])/.test(s)) throw new Error(`invalid JSON pointer ${JSON.stringify(pointer)}: bad "~" escape`);
      return s.replace(/~1/g, "/").replace(/~0/g, "~");
    });
}

const INDEX_RE = /^(0|[1-9][0-9]*)$/;

/** The value at a pointer, or undefined when the path does not exist. Only own members are followed. */
export function getAt(value: ConfigValue | undefined, pointer: string): ConfigValue | undefined {
  let cur: ConfigValue | undefined = value;
  for (const seg of parsePointer(pointer)) {
    if (Array.isArray(cur)) {
      if (!INDEX_RE.test(seg)) return undefined;
      cur = cur[Number(seg)];
    } else if (isConfigObject(cur)) {
      cur = hasOwn(cur, seg) ? cur[seg] : undefined;
    } else {
      return undefined;
    }
  }
  return cur;
}

/** True when `pointer` is `prefix` itself or lies inside it ("/a/b" is under "/a", "/ab" is not). */
export function isUnder(pointer: string, prefix: string): boolean {
  return prefix === "" || pointer === prefix || pointer.startsWith(prefix + "/");
}

export function isArrayIndex(segment: string): boolean {
  return INDEX_RE.test(segment);
}
