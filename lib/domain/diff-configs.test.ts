import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { configValue } from "./config-arbitraries";
import { cloneValue, deepEqual } from "./config-value";
import { applyDiff, diffConfigs, maskDiff, MASK } from "./diff-configs";

describe("diffConfigs", () => {
  it("reports added, removed and changed paths, sorted, with values", () => {
    const a = { database: { host: "db", port: 5432, ssl: false }, hosts: ["a", "b"], old: 1 };
    const b = { database: { host: "db", port: 6432, ssl: true, pool: { max: 10 } }, hosts: ["a", "c"], new: "x" };
    expect(diffConfigs(a, b)).toEqual([
      { path: "/database/pool", kind: "added", after: { max: 10 } },
      { path: "/database/port", kind: "changed", before: 5432, after: 6432 },
      { path: "/database/ssl", kind: "changed", before: false, after: true },
      { path: "/hosts", kind: "changed", before: ["a", "b"], after: ["a", "c"] },
      { path: "/new", kind: "added", after: "x" },
      { path: "/old", kind: "removed", before: 1 },
    ]);
  });

  it("is empty for equal values whatever the key order", () => {
    expect(diffConfigs({ a: 1, b: { c: [1, { d: 2 }] } }, { b: { c: [1, { d: 2 }] }, a: 1 })).toEqual([]);
  });

  it("escapes pointer segments and sorts parents before children", () => {
    const d = diffConfigs({ "a/b": 1, "a~": { x: 1 }, a: { b: 1 } }, { "a/b": 2, "a~": { x: 2 }, a: { b: 2 } });
    expect(d.map((e) => e.path)).toEqual(["/a/b", "/a~1b", "/a~0/x"]);
  });

  it("reports a change of type, and a change of the whole value at the root", () => {
    expect(diffConfigs({ a: { b: 1 } }, { a: [1] })).toEqual([{ path: "/a", kind: "changed", before: { b: 1 }, after: [1] }]);
    expect(diffConfigs(1, "1")).toEqual([{ path: "", kind: "changed", before: 1, after: "1" }]);
  });

  it("property: applyDiff(a, diffConfigs(a, b)) equals b, without touching a", () => {
    fc.assert(
      fc.property(configValue, configValue, (a, b) => {
        const a0 = cloneValue(a);
        const d = diffConfigs(a, b);
        expect(deepEqual(applyDiff(a, d), b)).toBe(true);
        expect(deepEqual(a, a0)).toBe(true);
        expect(d.length === 0).toBe(deepEqual(a, b));
      }),
      { numRuns: 500 },
    );
  });

  it("property: the diff of a with itself is empty and paths are unique", () => {
    fc.assert(
      fc.property(configValue, configValue, (a, b) => {
        expect(diffConfigs(a, a)).toEqual([]);
        const paths = diffConfigs(a, b).map((e) => e.path);
        expect(new Set(paths).size).toBe(paths.length);
      }),
    );
  });

  it("applies removals and additions inside arrays given by hand", () => {
    expect(applyDiff({ a: [1, 2, 3] }, [{ path: "/a/1", kind: "removed", before: 2 }])).toEqual({ a: [1, 3] });
    expect(applyDiff({ a: [1] }, [{ path: "/a/1", kind: "added", after: 2 }])).toEqual({ a: [1, 2] });
    expect(() => applyDiff({ a: 1 }, [{ path: "/a/b", kind: "added", after: 2 }])).toThrow(/parent is not an object/);
  });
});

describe("maskDiff", () => {
  const diff = diffConfigs(
    { db: { password: "old", host: "a" }, token: "t1", blob: { nested: { key: "k1", x: 1 } } },
    { db: { password: "new", host: "b" }, blob: [{ key: "k2" }], added: { key: "k3" } },
  );

  it("hides values at, under and inside secret paths, and leaves the rest", () => {
    const masked = maskDiff(diff, ["/db/password", "/token", "/blob/nested/key", "/blob/0/key", "/added/key"]);
    expect(masked).toEqual([
      { path: "/added", kind: "added", after: { key: MASK } },
      { path: "/blob", kind: "changed", before: { nested: { key: MASK, x: 1 } }, after: [{ key: MASK }] },
      { path: "/db/host", kind: "changed", before: "a", after: "b" },
      { path: "/db/password", kind: "changed", before: MASK, after: MASK },
      { path: "/token", kind: "removed", before: MASK },
    ]);
    expect(JSON.stringify(masked)).not.toMatch(/old|new|t1|k1|k2|k3/);
  });

  it("masks everything under a secret prefix and does not change the input diff", () => {
    const masked = maskDiff(diff, ["/db"]);
    expect(masked.find((e) => e.path === "/db/host")).toEqual({ path: "/db/host", kind: "changed", before: MASK, after: MASK });
    expect(diff.find((e) => e.path === "/db/host")?.before).toBe("a");
  });
});
