import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { nullFreeConfigObject } from "./config-arbitraries";
import { deepEqual } from "./config-value";
import { findNul, MAX_SOURCE_BYTES, NUL_MESSAGE, parseConfigSource, type ParseResult } from "./parse-config-source";

function failure(r: ParseResult) {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  return r;
}

function nested(depth: number): string {
  return "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth);
}

describe("parseConfigSource: YAML", () => {
  it("parses a mapping and locates its keys", () => {
    const r = parseConfigSource("database:\n  host: db.internal\n  port: 5432\nfeatures: [a, b]\n", "yaml");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual({ database: { host: "db.internal", port: 5432 }, features: ["a", "b"] });
    expect(r.locate("/database/port")).toEqual({ line: 3, column: 3 });
    expect(r.locate("/features/1")).toEqual({ line: 4, column: 15 });
  });

  it("treats an empty document or one with only comments as an empty config", () => {
    for (const src of ["", "   \n", "# nothing yet\n"]) expect(parseConfigSource(src, "yaml")).toMatchObject({ ok: true, value: {} });
  });

  it("reports syntax errors with 1-based line and column", () => {
    expect(failure(parseConfigSource("database:\n  host: db\n port: 5432\n", "yaml"))).toEqual({
      ok: false,
      kind: "syntax",
      errors: [{ path: "", line: 3, column: 1, message: "All mapping items must start at the same column" }],
    });
    const dup = failure(parseConfigSource("a: 1\nb: 2\na: 3\n", "yaml"));
    expect(dup.errors[0]).toEqual({ path: "", line: 3, column: 1, message: 'duplicate key "a": keys must be unique' });
    expect(failure(parseConfigSource("a:\n  x: 1\n  'x': 2\n", "yaml")).errors[0]).toMatchObject({ line: 3, column: 3 });
    const alias = failure(parseConfigSource("a: 1\nb: *missing\n", "yaml"));
    expect(alias.errors[0]).toMatchObject({ line: 2, column: 4, message: "unknown alias *missing: an anchor &missing must come before its use" });
    expect(failure(parseConfigSource("a: 1\n---\nb: 2\n", "yaml")).kind).toBe("syntax");
  });

  it("refuses a billion-laughs alias bomb quickly", () => {
    const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill("*" + prev).join(", ")}]`);
    }
    const r = failure(parseConfigSource(levels.join("\n"), "yaml"));
    expect(r.kind).toBe("too_large");
    expect(r.errors[0]!.message).toMatch(/alias/);
  });

  it("refuses a wide alias expansion (one big anchor used many times)", () => {
    const src = `big: &big "${"x".repeat(200_000)}"\n` + Array.from({ length: 60 }, (_, i) => `k${i}: *big`).join("\n");
    expect(failure(parseConfigSource(src, "yaml")).kind).toBe("too_large");
  });

  it("supports anchors and << merge keys within limits", () => {
    const r = parseConfigSource("defaults: &d {retries: 3, timeout: 5}\napi:\n  <<: *d\n  timeout: 9\n", "yaml");
    expect(r.ok && r.value).toEqual({ defaults: { retries: 3, timeout: 5 }, api: { retries: 3, timeout: 9 } });
  });

  it("refuses nesting deeper than 64 levels, block or flow, and accepts exactly 64", () => {
    const block = (depth: number) => Array.from({ length: depth }, (_, i) => " ".repeat(i) + "a:").join("\n") + " 1";
    expect(parseConfigSource(block(64), "yaml").ok).toBe(true);
    const r = failure(parseConfigSource(block(65), "yaml"));
    expect(r.kind).toBe("too_deep");
    expect(r.errors[0]).toMatchObject({ path: "/a".repeat(64), line: 64 });
    expect(failure(parseConfigSource(`x: ${"[".repeat(70)}1${"]".repeat(70)}`, "yaml")).kind).toBe("too_deep");
  });

  // Our own duplicate-key check replaces yaml's quadratic one (uniqueKeys: false); no timing here:
  // a 40,000-key mapping that yaml's check would take minutes over must finish within the test timeout.
  it("checks duplicate keys itself, also in a 40,000-key mapping", () => {
    const src = Array.from({ length: 40_000 }, (_, i) => `k${i}: ${i}`).join("\n");
    expect(parseConfigSource(src, "yaml").ok).toBe(true);
    expect(failure(parseConfigSource(src + "\nk7: again", "yaml")).errors[0]).toMatchObject({ line: 40_001, column: 1 });
  });

  it("refuses a megabyte of open brackets as too deep (before yaml would recurse into it)", () => {
    expect(failure(parseConfigSource("[".repeat(MAX_SOURCE_BYTES - 10), "yaml")).kind).toBe("too_deep");
  });

  it("refuses prototype keys anywhere, naming the path and line", () => {
    expect(failure(parseConfigSource('{"__proto__": {"x": 1}}', "yaml"))).toMatchObject({ kind: "forbidden_key", errors: [{ path: "/__proto__" }] });
    const r = failure(parseConfigSource("svc:\n  list:\n    - constructor: 1\n", "yaml"));
    expect(r).toEqual({ ok: false, kind: "forbidden_key", errors: [{ path: "/svc/list/0/constructor", line: 3, column: 7, message: 'key "constructor" is not allowed' }] });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("refuses a top level that is not a mapping", () => {
    expect(failure(parseConfigSource("- a\n- b\n", "yaml"))).toMatchObject({ kind: "not_object", errors: [{ message: "the top level must be a mapping of keys to values, not a list" }] });
    expect(failure(parseConfigSource("just text", "yaml")).kind).toBe("not_object");
  });

  it("refuses values JSON cannot hold", () => {
    expect(failure(parseConfigSource("limit: .inf\n", "yaml"))).toMatchObject({ kind: "syntax", errors: [{ path: "/limit", line: 1, column: 1 }] });
  });

  it("parses back whatever yaml prints (property)", () => {
    fc.assert(
      fc.property(nullFreeConfigObject, (obj) => {
        fc.pre(!JSON.stringify(obj).match(/__proto__|constructor|prototype/));
        // U+0000 is refused on purpose (PostgreSQL cannot store it): see the NUL tests below.
        fc.pre(!JSON.stringify(obj).includes("\\u0000"));
        const r = parseConfigSource(stringify(obj), "yaml");
        expect(r.ok && deepEqual(r.value, obj)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe("parseConfigSource: JSON", () => {
  it("parses an object and locates keys through the same document model", () => {
    const r = parseConfigSource('{\n  "database": {\n    "port": 5432\n  }\n}\n', "json");
    expect(r.ok && r.value).toEqual({ database: { port: 5432 } });
    expect(r.ok && r.locate("/database/port")).toEqual({ line: 3, column: 5 });
  });

  it("reports JSON syntax errors as JSON errors with position", () => {
    expect(failure(parseConfigSource('{\n  "a": 1,\n  "b": }\n', "json"))).toEqual({
      ok: false,
      kind: "syntax",
      errors: [{ path: "", line: 3, column: 8, message: 'invalid JSON: expected a value, found character "}"' }],
    });
    // Valid YAML, invalid JSON: the format decides.
    expect(failure(parseConfigSource("a: 1", "json")).kind).toBe("syntax");
  });

  it("refuses __proto__ in JSON (JSON.parse would create it as an own key)", () => {
    expect(failure(parseConfigSource('{"__proto__": {"x": 1}}', "json"))).toEqual({
      ok: false,
      kind: "forbidden_key",
      errors: [{ path: "/__proto__", line: 1, column: 2, message: 'key "__proto__" is not allowed' }],
    });
    expect(failure(parseConfigSource('{"a": {"prototype": 1}}', "json")).errors[0]!.path).toBe("/a/prototype");
  });

  it("accepts 64 levels and refuses 65 with the position of the 65th", () => {
    expect(parseConfigSource(nested(64), "json").ok).toBe(true); // 64 objects, the root included
    expect(failure(parseConfigSource(nested(65), "json"))).toEqual({
      ok: false,
      kind: "too_deep",
      errors: [{ path: "", line: 1, column: 64 * 6 + 1, message: "nesting is deeper than 64 levels" }],
    });
  });

  it("refuses arrays and scalars at the top level; treats blank input as empty", () => {
    expect(failure(parseConfigSource("[1]", "json")).kind).toBe("not_object");
    expect(failure(parseConfigSource("null", "json")).kind).toBe("not_object");
    expect(parseConfigSource("  \n", "json")).toMatchObject({ ok: true, value: {} });
  });
});

describe("parseConfigSource: limits and .env", () => {
  it("refuses sources over 1 MiB, counted in UTF-8 bytes", () => {
    const justOver = "a: " + "é".repeat(MAX_SOURCE_BYTES / 2);
    expect(justOver.length).toBeLessThan(MAX_SOURCE_BYTES);
    expect(failure(parseConfigSource(justOver, "yaml")).kind).toBe("too_large");
    expect(failure(parseConfigSource(justOver, "env")).kind).toBe("too_large");
  });

  it("parses .env into string values with positions", () => {
    const r = parseConfigSource("# c\nPORT=8080\nexport NAME='x y'\n", "env");
    expect(r.ok && r.value).toEqual({ PORT: "8080", NAME: "x y" });
    expect(r.ok && r.locate("/NAME")).toEqual({ line: 3, column: 8 });
    expect(r.ok && r.locate("/NOPE")).toBeNull();
  });
});

describe("the NUL character (PostgreSQL text and jsonb cannot hold it)", () => {
  it.each([
    ["a raw NUL in YAML", "a: 1\nb: x\u0000y\n", "yaml" as const, "", 2],
    ["a JSON \\u0000 escape in a value", '{"a": {"b": "x\\u0000"}}', "json" as const, "/a/b", 1],
    ["a JSON \\u0000 escape in a key", '{"k\\u0000": 1}', "json" as const, "/k\u0000", 1],
    ["a YAML \\0 escape", 'a:\n  - "ok"\n  - "bad\\0"\n', "yaml" as const, "/a/1", 3],
    ["a raw NUL in dotenv", "A=1\nB=\u0000\n", "env" as const, "", 2],
    ["a JSON escape of an unpaired surrogate", '{"a": "\\ud800"}', "json" as const, "/a", 1],
    ["an unpaired low surrogate in a key", '{"x\\udc00y": 1}', "json" as const, "/x\udc00y", 1],
  ])("refuses %s, naming where", (_name, source, format, path, line) => {
    const r = parseConfigSource(source, format);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.kind).toBe("nul_character");
    expect(r.errors[0]).toMatchObject({ message: NUL_MESSAGE, line });
    if (path) expect(r.errors[0]!.path).toBe(path);
  });

  it("accepts a well-formed surrogate pair (an emoji)", () => {
    expect(parseConfigSource('{"a": "\\ud83d\\ude00"}', "json").ok).toBe(true);
  });

  it("still accepts the escaped text \\\\u0000 (a backslash, not a NUL)", () => {
    const r = parseConfigSource('{"a": "\\\\u0000"}', "json");
    expect(r.ok).toBe(true);
  });
});

describe("findNul", () => {
  it("walks values nested far deeper than any call stack", () => {
    const deep = JSON.parse("[".repeat(100_000) + '"x\\u0000"' + "]".repeat(100_000)) as unknown;
    expect(findNul(deep)).toBe("/0".repeat(100_000));
    expect(findNul(JSON.parse("[".repeat(100_000) + "]".repeat(100_000)))).toBeNull();
  });

  it("names the first offending key or string in document order", () => {
    expect(findNul({ a: ["ok", { b: "x\u0000" }], c: "\u0000" })).toBe("/a/1/b");
    expect(findNul({ "k\u0000": 1 })).toBe("/k\u0000");
    expect(findNul({ a: 1, b: [true, null, "fine"] })).toBeNull();
  });
});
