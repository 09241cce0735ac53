import { LineCounter, parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { findExcessiveYamlNesting, locateInYaml } from "./yaml-source";

function locator(src: string) {
  const lc = new LineCounter();
  const doc = parseDocument(src, { lineCounter: lc, merge: true });
  return (p: string) => locateInYaml(doc, lc, p);
}

describe("YAML source positions", () => {
  const src = ["database:", "  host: db", "  ports:", "    - 5432", "    - 5433", "a/b: 1", "flow: {x: [1, {y: 2}]}"].join("\n");
  const locate = locator(src);

  it("maps pointers to the key of a member or the start of an item", () => {
    expect(locate("")).toEqual({ line: 1, column: 1 });
    expect(locate("/database")).toEqual({ line: 1, column: 1 });
    expect(locate("/database/host")).toEqual({ line: 2, column: 3 });
    expect(locate("/database/ports/1")).toEqual({ line: 5, column: 7 });
    expect(locate("/a~1b")).toEqual({ line: 6, column: 1 });
    expect(locate("/flow/x/1/y")).toEqual({ line: 7, column: 16 });
  });

  it("returns null for paths that are not in the document", () => {
    expect(locate("/database/user")).toBeNull();
    expect(locate("/database/ports/2")).toBeNull();
    expect(locate("/database/host/deeper")).toBeNull();
    expect(locate("not a pointer")).toBeNull();
  });

  it("follows aliases and merge keys to where the value is written", () => {
    const l = locator("defaults: &d\n  retries: 3\n  timeout: 5\nsvc:\n  <<: *d\n  timeout: 9\ncopy: *d\n");
    expect(l("/svc/retries")).toEqual({ line: 2, column: 3 });
    expect(l("/svc/timeout")).toEqual({ line: 6, column: 3 });
    expect(l("/copy/timeout")).toEqual({ line: 3, column: 3 });
  });
});

describe("YAML nesting guard", () => {
  it("lets ordinary documents through", () => {
    expect(findExcessiveYamlNesting("a:\n  b: [1, [2, {c: 3}]]\n  s: '[[[[[['\n  t: \"{{{{\"\n# [[[[[[\n", 3)).toBeNull();
    expect(findExcessiveYamlNesting("- - x\n- - y\n", 2)).toBeNull();
  });

  it("stops at the first bracket or dash beyond the limit, with its offset", () => {
    expect(findExcessiveYamlNesting("a: [[[1]]]", 2)).toBe(5);
    expect(findExcessiveYamlNesting("- - - x", 2)).toBe(4);
  });

  it("stops at the limit in a megabyte of brackets (yaml's own parser would take seconds)", () => {
    expect(findExcessiveYamlNesting("[".repeat(1_000_000), 64)).toBe(64);
  });
});
