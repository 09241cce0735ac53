import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { configValue } from "./config-arbitraries";
import { findExcessiveJsonDepth, findJsonSyntaxError, offsetToLineColumn } from "./json-syntax";

function at(src: string) {
  const e = findJsonSyntaxError(src);
  return e && { ...offsetToLineColumn(src, e.offset), message: e.message };
}

describe("JSON syntax errors", () => {
  it("accepts every valid JSON text", () => {
    fc.assert(
      fc.property(configValue, fc.boolean(), (v, pretty) => {
        expect(findJsonSyntaxError(JSON.stringify(v, null, pretty ? 2 : undefined))).toBeNull();
      }),
    );
    expect(findJsonSyntaxError(' {"a": "\\u00e9\\n", "b": [-0.5e+3, true, null]} \n')).toBeNull();
  });

  it("points at the exact place of common mistakes", () => {
    expect(at('{\n  "a": 1,\n}')).toEqual({ line: 3, column: 1, message: "trailing comma before '}' is not allowed in JSON" });
    expect(at('{\n  "a": 1\n  "b": 2\n}')).toEqual({ line: 3, column: 3, message: `expected ',' or '}' after property value, found character "\\""` });
    expect(at('{"a": }')).toEqual({ line: 1, column: 7, message: 'expected a value, found character "}"' });
    expect(at("[1, 2,]")).toMatchObject({ line: 1, column: 7, message: "trailing comma before ']' is not allowed in JSON" });
    expect(at("{a: 1}")).toMatchObject({ column: 2, message: "property names must be double-quoted strings" });
    expect(at("{'a': 1}")).toMatchObject({ column: 2, message: "strings must use double quotes in JSON" });
    expect(at('{"a": 1} // note')).toMatchObject({ column: 10, message: "unexpected content after the end of the JSON value" });
    expect(at('{"a": // note\n1}')).toMatchObject({ column: 7, message: "comments are not allowed in JSON" });
    expect(at('{"a": "x\ny"}')).toMatchObject({ line: 1, column: 9, message: "unterminated string (line break inside a string)" });
    expect(at('{"a": 01}')).toMatchObject({ column: 7, message: "invalid number (no leading zeros, digits needed after '.' and 'e')" });
    expect(at('{"a": 1.}')).toMatchObject({ column: 7 });
    expect(at('{"a": "\\x"}')).toMatchObject({ column: 8, message: "bad escape sequence \\x" });
    expect(at('{"a": [1, 2')).toMatchObject({ column: 12, message: "expected ',' or ']' after array element, found end of input" });
    expect(at("")).toMatchObject({ line: 1, column: 1, message: "expected a value, found end of input" });
  });

  it("does not overflow on absurd nesting", () => {
    expect(at("[".repeat(500_000))).toMatchObject({ line: 1, column: 500_001 });
  });

  it("finds where nesting exceeds a depth, ignoring brackets inside strings", () => {
    expect(findExcessiveJsonDepth('{"a": {"b": "[[[[[["}}', 2)).toBeNull();
    expect(findExcessiveJsonDepth('{"a": {"b": {"c": 1}}}', 2)).toBe(12);
    expect(findExcessiveJsonDepth('["\\"[[[", [[1]]]', 3)).toBeNull();
    expect(findExcessiveJsonDepth('["\\"[[[", [[[1]]]]', 3)).toBe(12);
  });

  it("counts lines and columns from 1", () => {
    expect(offsetToLineColumn("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(offsetToLineColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
    expect(offsetToLineColumn("ab\n", 3)).toEqual({ line: 2, column: 1 });
  });
});
