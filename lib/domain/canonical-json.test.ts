import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, sha256Hex } from "./canonical-json";

/** The same object with its keys in another order, at every level. */
function shuffleKeys(v: unknown, seed: number): unknown {
  if (Array.isArray(v)) return v.map((x) => shuffleKeys(x, seed));
  if (v !== null && typeof v === "object") {
    const keys = Object.keys(v);
    const order = keys.map((k, i) => ({ k, r: (i * 7919 + seed) % (keys.length + 1) })).sort((a, b) => a.r - b.r);
    return Object.fromEntries(order.map(({ k }) => [k, shuffleKeys((v as Record<string, unknown>)[k], seed)]));
  }
  return v;
}

describe("canonical JSON", () => {
  it("hash is stable under key order (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 1000 }), (value, seed) => {
        expect(sha256Hex(canonicalJson(shuffleKeys(value, seed)))).toBe(sha256Hex(canonicalJson(value)));
      }),
    );
  });

  it("different values give different text", () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: "1" }));
    expect(canonicalJson({ b: 1, a: [2, 1] })).toBe('{"a":[2,1],"b":1}');
  });
});
