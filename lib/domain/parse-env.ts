/**
 * dotenv parsing: `KEY=value` lines, `#` comments, optional `export `, "double quoted" values with
 * \n \r \t \" \\ escapes, 'single quoted' literal values; both kinds of quotes may span lines.
 * Values stay strings: an .env file has no types, and guessing them would change meaning silently.
 */
import { FORBIDDEN_KEYS, setOwn, type ConfigObject, type FieldError } from "./config-value";
import { childPointer } from "./pointer";

export const ENV_KEY_RE = /^[A-Za-z_][A-Za-z0-9_.]*$/;

export type EnvParse =
  | { ok: true; value: ConfigObject; positions: Map<string, { line: number; column: number }> }
  | { ok: false; kind: "syntax" | "forbidden_key"; errors: FieldError[] };

const MAX_ERRORS = 20;
const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

export function parseEnv(src: string): EnvParse {
  const value: ConfigObject = {};
  const positions = new Map<string, { line: number; column: number }>();
  const syntax: FieldError[] = [];
  const forbidden: FieldError[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  const col = (at: number) => at - lineStart + 1;
  const isBlank = (c: string | undefined) => c === " " || c === "\t";
  const atEol = () => pos >= src.length || src[pos] === "\n" || (src[pos] === "\r" && src[pos + 1] === "\n");
  const skipBlanks = () => {
    while (isBlank(src[pos])) pos++;
  };
  const nextLine = () => {
    const nl = src.indexOf("\n", pos);
    pos = nl < 0 ? src.length : nl + 1;
    line++;
    lineStart = pos;
  };
  const err = (message: string, at: number) => {
    syntax.push({ path: "", message, line, column: col(at) });
  };

  while (pos < src.length && syntax.length < MAX_ERRORS) {
    skipBlanks();
    if (atEol() || src[pos] === "#") {
      nextLine();
      continue;
    }
    if (/^export[ \t]/.test(src.slice(pos, pos + 7))) {
      pos += 6;
      skipBlanks();
    }
    const keyStart = pos;
    while (pos < src.length && !atEol() && src[pos] !== "=" && !isBlank(src[pos])) pos++;
    const key = src.slice(keyStart, pos);
    const keyAt = { line, column: col(keyStart) };
    skipBlanks();
    if (src[pos] !== "=") {
      err(key === "" ? "expected KEY=value" : `expected '=' after ${JSON.stringify(key)}`, pos);
      nextLine();
      continue;
    }
    if (!ENV_KEY_RE.test(key)) {
      err(`invalid key ${JSON.stringify(key)}: keys start with a letter or '_' and contain letters, digits, '_' and '.'`, keyStart);
      nextLine();
      continue;
    }
    pos++;
    const afterEquals = pos;
    skipBlanks();
    const quote = src[pos];
    let text: string;
    if (quote === '"' || quote === "'") {
      const open = { at: pos, line, lineStart };
      pos++;
      text = "";
      let closed = false;
      while (pos < src.length) {
        const c = src[pos]!;
        if (c === quote) {
          closed = true;
          pos++;
          break;
        }
        if (c === "\\" && quote === '"' && pos + 1 < src.length) {
          const e = src[pos + 1]!;
          text += ESCAPES[e] ?? "\\" + e; // unknown escapes are kept as written, like dotenv
          pos += 2;
          continue;
        }
        if (c === "\n") {
          line++;
          lineStart = pos + 1;
        }
        text += c;
        pos++;
      }
      if (!closed) {
        line = open.line;
        lineStart = open.lineStart;
        err(`unterminated ${quote === '"' ? "double" : "single"}-quoted value for ${key}`, open.at);
        break;
      }
      skipBlanks();
      if (!atEol() && src[pos] !== "#") {
        err(`unexpected text after the closing quote of ${key}`, pos);
        nextLine();
        continue;
      }
    } else {
      const eol = src.indexOf("\n", pos);
      // `KEY= # note` is an empty value with a comment, the same rule as below.
      const raw = src[pos] === "#" && pos > afterEquals ? "" : src.slice(pos, eol < 0 ? src.length : eol);
      // A '#' starts a comment only after whitespace, so `color=#fff` keeps its value.
      const hash = raw.search(/[ \t]#/);
      text = (hash < 0 ? raw : raw.slice(0, hash)).replace(/[ \t\r]+$/, "");
    }
    if (FORBIDDEN_KEYS.has(key)) {
      forbidden.push({ path: childPointer("", key), message: `key ${JSON.stringify(key)} is not allowed`, ...keyAt });
    } else {
      setOwn(value, key, text);
      positions.set(childPointer("", key), keyAt);
    }
    nextLine();
  }
  if (syntax.length > 0) return { ok: false, kind: "syntax", errors: syntax };
  if (forbidden.length > 0) return { ok: false, kind: "forbidden_key", errors: forbidden };
  return { ok: true, value, positions };
}
