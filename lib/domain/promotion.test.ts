import { describe, expect, it } from "vitest";
import { applyChanges, proposePromotion } from "./promotion";

describe("promotion proposal", () => {
  const baseline = { database: { host: "localhost", ssl: false }, performance: { cache_ttl: 300 } };
  const source = { database: { host: "localhost", ssl: false }, performance: { cache_ttl: 120 }, features: { beta: true } };
  const target = { database: { host: "prod-db", ssl: true }, performance: { cache_ttl: 3600, max_workers: 16 } };

  it("carries only what changed in the source since the baseline", () => {
    const { value, carried } = proposePromotion({ baseline, source, target });
    expect(carried.map((c) => c.path)).toEqual(["/features", "/performance/cache_ttl"]);
    expect(value).toEqual({ database: { host: "prod-db", ssl: true }, performance: { cache_ttl: 120, max_workers: 16 }, features: { beta: true } });
  });

  it("proposes the target unchanged when the source did not change", () => {
    expect(proposePromotion({ baseline, source: baseline, target }).value).toEqual(target);
  });

  it("applies removals and creates missing parents", () => {
    const out = applyChanges({ a: { b: 1, c: 2 } }, [
      { path: "/a/b", kind: "removed", before: 1 },
      { path: "/x/y/z", kind: "added", after: 3 },
      { path: "/gone/k", kind: "removed", before: 1 },
    ]);
    expect(out).toEqual({ a: { c: 2 }, x: { y: { z: 3 } } });
  });

  it("never mutates its inputs", () => {
    const t = structuredClone(target);
    proposePromotion({ baseline, source, target: t });
    expect(t).toEqual(target);
  });
});
