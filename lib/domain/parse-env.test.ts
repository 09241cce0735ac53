import { describe, expect, it } from "vitest";
import { parseEnv } from "./parse-env";

describe(".env parsing", () => {
  it("reads keys, comments, export, quotes and escapes; values stay strings", () => {
    const src = [
      "# database",
      "DB_HOST=localhost",
      "export DB_PORT = 5432",
      'GREETING="hello\\n\\"world\\"" # trailing comment',
      "RAW='no \\n escapes here'",
      "COLOR=#fff",
      "EMPTY=",
      "NOTE= # only a comment",
      "SPACED=  some words   ",
      "app.name=nexus",
      "",
      "   ",
    ].join("\n");
    const r = parseEnv(src);
    expect(r.ok && r.value).toEqual({
      DB_HOST: "localhost",
      DB_PORT: "5432",
      GREETING: 'hello\n"world"',
      RAW: "no \\n escapes here",
      COLOR: "#fff",
      EMPTY: "",
      NOTE: "",
      SPACED: "some words",
      "app.name": "nexus",
    });
  });

  it("accepts quoted values across lines and CRLF line ends, and records key positions", () => {
    const r = parseEnv('A=1\r\nCERT="line1\nline2"\r\n  B=2\r\n');
    expect(r.ok && r.value).toEqual({ A: "1", CERT: "line1\nline2", B: "2" });
    expect(r.ok && r.positions.get("/B")).toEqual({ line: 4, column: 3 });
  });

  it("gives the line and column of a bad key", () => {
    const r = parseEnv("A=1\n\n  9LIVES=cat\n");
    expect(r).toEqual({
      ok: false,
      kind: "syntax",
      errors: [{ path: "", line: 3, column: 3, message: `invalid key "9LIVES": keys start with a letter or '_' and contain letters, digits, '_' and '.'` }],
    });
  });

  it("reports lines without '=', unterminated quotes and text after a closing quote", () => {
    const r = parseEnv('JUSTAKEY\nB="ok" extra\nC="never closed\nD=1\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { path: "", line: 1, column: 9, message: `expected '=' after "JUSTAKEY"` },
      { path: "", line: 2, column: 8, message: "unexpected text after the closing quote of B" },
      { path: "", line: 3, column: 3, message: "unterminated double-quoted value for C" },
    ]);
  });

  it("refuses prototype keys with their path", () => {
    const r = parseEnv("OK=1\n__proto__=x\n");
    expect(r).toEqual({ ok: false, kind: "forbidden_key", errors: [{ path: "/__proto__", line: 2, column: 1, message: `key "__proto__" is not allowed` }] });
  });

  it("lets the last duplicate win, as dotenv loaders do", () => {
    const r = parseEnv("A=1\nA=2\n");
    expect(r.ok && r.value).toEqual({ A: "2" });
  });
});
