/**
 * Finds the first syntax error in a JSON text, with its offset. JSON.parse on Node 20 reports
 * errors without positions, and people need the line and column to fix their document.
 * Iterative (explicit stack), so a hostile "[[[[…" of any depth cannot overflow the call stack.
 */
export type JsonSyntaxError = { offset: number; message: string };

const WS = new Set([" ", "\t", "\n", "\r"]);
const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

export function findJsonSyntaxError(src: string): JsonSyntaxError | null {
  let pos = 0;
  const stack: ("{" | "[")[] = [];
  const fail = (message: string, at = pos): JsonSyntaxError => ({ offset: at, message });
  const describe = (at: number): string => {
    if (at >= src.length) return "unexpected end of input";
    const c = src[at]!;
    if (c === "/" && (src[at + 1] === "/" || src[at + 1] === "*")) return "comments are not allowed in JSON";
    if (c === "'") return "strings must use double quotes in JSON";
    return `unexpected character ${JSON.stringify(c)}`;
  };
  const skipWs = () => {
    while (pos < src.length && WS.has(src[pos]!)) pos++;
  };
  const readString = (): JsonSyntaxError | null => {
    const start = pos++;
    while (pos < src.length) {
      const c = src[pos]!;
      if (c === '"') {
        pos++;
        return null;
      }
      if (c === "\\") {
        const e = src[pos + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(src.slice(pos + 2, pos + 6))) return fail("bad \\u escape: expected 4 hex digits");
          pos += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          pos += 2;
        } else {
          return fail(`bad escape sequence \\${e ?? ""}`);
        }
      } else if (c < " ") {
        return fail(c === "\n" ? "unterminated string (line break inside a string)" : "control character inside a string");
      } else {
        pos++;
      }
    }
    return fail("unterminated string", start);
  };
  const readKey = (): JsonSyntaxError | null => {
    skipWs();
    if (src[pos] !== '"') {
      if (src[pos] === "}") return fail("trailing comma before '}' is not allowed in JSON");
      return fail(pos < src.length && /[A-Za-z_$]/.test(src[pos]!) ? "property names must be double-quoted strings" : describe(pos));
    }
    const err = readString();
    if (err) return err;
    skipWs();
    if (src[pos] !== ":") return fail(`expected ':' after property name, found ${describe(pos).replace(/^unexpected /, "")}`);
    pos++;
    return null;
  };

  // Each turn of the loop reads one value, then the separators that follow it.
  for (;;) {
    skipWs();
    const c = src[pos];
    if (c === "{" || c === "[") {
      stack.push(c);
      pos++;
      skipWs();
      if (src[pos] === (c === "{" ? "}" : "]")) {
        stack.pop();
        pos++;
      } else {
        if (c === "{") {
          const err = readKey();
          if (err) return err;
        }
        continue;
      }
    } else if (c === '"') {
      const err = readString();
      if (err) return err;
    } else if (c !== undefined && (c === "-" || (c >= "0" && c <= "9"))) {
      const start = pos;
      NUMBER_RE.lastIndex = pos;
      const m = NUMBER_RE.exec(src);
      if (!m || m[0] === "-") return fail("invalid number", start);
      pos += m[0].length;
      if (pos < src.length && /[0-9.eE]/.test(src[pos]!)) return fail("invalid number (no leading zeros, digits needed after '.' and 'e')", start);
    } else {
      const lit = ["true", "false", "null"].find((w) => src.startsWith(w, pos));
      if (!lit) {
        if (c === "]" && stack.at(-1) === "[" && pos > 0) return fail("trailing comma before ']' is not allowed in JSON");
        const what = describe(pos);
        return fail(what.startsWith("unexpected ") ? `expected a value, found ${what.slice(11)}` : what);
      }
      pos += lit.length;
    }

    // After a value: close containers, or find the comma that leads to the next value.
    for (;;) {
      skipWs();
      const top = stack.at(-1);
      if (top === undefined) return pos < src.length ? fail("unexpected content after the end of the JSON value") : null;
      const closer = top === "{" ? "}" : "]";
      if (src[pos] === closer) {
        stack.pop();
        pos++;
        continue;
      }
      if (src[pos] !== ",") {
        return fail(`expected ',' or '${closer}' after ${top === "{" ? "property value" : "array element"}, found ${describe(pos).replace(/^unexpected /, "")}`);
      }
      pos++;
      if (top === "{") {
        const err = readKey();
        if (err) return err;
      }
      break;
    }
  }
}

/** 1-based line and column (in UTF-16 code units, as code editors count) of an offset. */
export function offsetToLineColumn(src: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, src.length);
  for (let i = 0; i < end; i++) {
    if (src.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Offset of the first '[' or '{' that opens nesting level `max + 1`, or null. Checked before
 * JSON.parse so that absurdly deep input is refused cheaply and with a position.
 */
export function findExcessiveJsonDepth(src: string, max: number): number | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 91 || c === 123) {
      if (++depth > max) return i;
    } else if (c === 93 || c === 125) {
      depth--;
    }
  }
  return null;
}
