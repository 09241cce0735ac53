import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { childPointer, escapeSegment, getAt, isUnder, parsePointer, toPointer } from "./pointer";

describe("JSON pointers", () => {
  it("escapes ~ before / so that '~1' in a key survives", () => {
    expect(escapeSegment("a/b")).toBe("a~1b");
    expect(escapeSegment("~1")).toBe("~01");
    expect(toPointer(["database", "a/b", "~", 0])).toBe("/database/a~1b/~0/0");
    expect(toPointer([])).toBe("");
    expect(childPointer("/a", "b/c")).toBe("/a/b~1c");
  });

  it("parses what it prints, for any segments", () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (segs) => {
        expect(parsePointer(toPointer(segs))).toEqual(segs);
      }),
    );
  });

  it("refuses malformed pointers", () => {
    expect(() => parsePointer("a/b")).toThrow(/must be empty or start with/);
    expect(() => parsePointer("/a~2")).toThrow(/bad "~" escape/);
    expect(parsePointer("/")).toEqual([""]);
  });

  it("gets values through objects and arrays, own members only", () => {
    const doc = { a: { "b/c": [10, { d: true }] }, "": 1 };
    expect(getAt(doc, "")).toBe(doc);
    expect(getAt(doc, "/a/b~1c/1/d")).toBe(true);
    expect(getAt(doc, "/a/b~1c/0")).toBe(10);
    expect(getAt(doc, "/")).toBe(1);
    expect(getAt(doc, "/a/b~1c/01")).toBeUndefined();
    expect(getAt(doc, "/a/b~1c/5")).toBeUndefined();
    expect(getAt(doc, "/a/missing/x")).toBeUndefined();
    expect(getAt(doc, "/a/toString")).toBeUndefined();
    expect(getAt(doc, "/a/b~1c/length")).toBeUndefined();
  });

  it("knows when one pointer is inside another", () => {
    expect(isUnder("/a/b", "/a")).toBe(true);
    expect(isUnder("/a", "/a")).toBe(true);
    expect(isUnder("/ab", "/a")).toBe(false);
    expect(isUnder("/a", "/a/b")).toBe(false);
    expect(isUnder("/anything", "")).toBe(true);
  });
});
