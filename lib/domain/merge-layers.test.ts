import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { configObjectWithNulls, nullFreeConfigObject } from "./config-arbitraries";
import { cloneValue, deepEqual, isConfigObject, type ConfigObject, type ConfigValue } from "./config-value";
import { mergeLayers } from "./merge-layers";

function hasNullMember(v: ConfigValue): boolean {
  if (Array.isArray(v)) return false; // arrays are values: nulls inside them are data
  if (isConfigObject(v)) return Object.values(v).some((x) => x === null || hasNullMember(x));
  return false;
}

/** No path where c sets an object and b had set a scalar or an array (b's value was a reset). */
function noReset(b: ConfigObject, c: ConfigObject): boolean {
  return Object.keys(c).every((k) => {
    const [bv, cv] = [b[k], c[k]];
    if (!isConfigObject(cv) || bv === undefined || !Object.prototype.hasOwnProperty.call(b, k)) return true;
    return isConfigObject(bv) && noReset(bv, cv);
  });
}

describe("mergeLayers", () => {
  it("merges objects, replaces arrays and scalars, deletes on null", () => {
    const shared = { application: { name: "nexus", features: { audit: true, sso: true } }, limits: { rps: 100 }, hosts: ["a", "b"] };
    const base = { application: { features: { sso: false } }, hosts: ["c"], debug: true };
    const overlay = { application: { features: { audit: null } }, limits: null, debug: { level: 2 } };
    expect(mergeLayers(shared, base, overlay)).toEqual({
      application: { name: "nexus", features: { sso: false } },
      hosts: ["c"],
      debug: { level: 2 },
    });
  });

  it("skips missing layers and strips nulls that have nothing to delete", () => {
    expect(mergeLayers(null, { a: { b: null, c: 1 } }, undefined)).toEqual({ a: { c: 1 } });
    expect(mergeLayers({ a: 1 }, { a: { b: null } })).toEqual({ a: {} });
    expect(mergeLayers()).toEqual({});
  });

  it("keeps nulls inside arrays: they are values, not deletions", () => {
    expect(mergeLayers({ a: [1] }, { a: [null, 2] })).toEqual({ a: [null, 2] });
  });

  it("never mutates its inputs and shares no structure with them", () => {
    fc.assert(
      fc.property(configObjectWithNulls, configObjectWithNulls, (a, b) => {
        const [a0, b0] = [cloneValue(a), cloneValue(b)];
        const out = mergeLayers(a, b);
        expect(deepEqual(a, a0) && deepEqual(b, b0)).toBe(true);
        const mutate = (v: unknown): void => {
          if (Array.isArray(v)) v.push("mutated");
          else if (v && typeof v === "object") for (const k of Object.keys(v)) mutate((v as Record<string, unknown>)[k]);
        };
        mutate(out);
        expect(deepEqual(a, a0) && deepEqual(b, b0)).toBe(true);
      }),
    );
  });

  it("handles a __proto__ key as data, without touching any prototype", () => {
    const evil = JSON.parse('{"__proto__": {"polluted": true}}') as ConfigObject;
    const out = mergeLayers({ a: 1 }, evil);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(["a", "__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(mergeLayers(out, JSON.parse('{"__proto__": null}') as ConfigObject))).toEqual(["a"]);
  });

  it("property: {} is an identity, and merging a null-free layer with itself changes nothing", () => {
    fc.assert(
      fc.property(nullFreeConfigObject, (a) => {
        expect(deepEqual(mergeLayers({}, a), a)).toBe(true);
        expect(deepEqual(mergeLayers(a, {}), a)).toBe(true);
        expect(deepEqual(mergeLayers(a, a), a)).toBe(true);
      }),
    );
  });

  it("property: identity holds up to null-stripping when a has nulls", () => {
    fc.assert(
      fc.property(configObjectWithNulls, (a) => {
        expect(deepEqual(mergeLayers({}, a), mergeLayers(a))).toBe(true);
        expect(deepEqual(mergeLayers(a, {}), mergeLayers(a))).toBe(true);
        expect(hasNullMember(mergeLayers(a))).toBe(false);
      }),
    );
  });

  it("property: associative when b and c have no null members and c puts no object where b put a non-object", () => {
    fc.assert(
      fc.property(configObjectWithNulls, nullFreeConfigObject, nullFreeConfigObject, (a, b, c) => {
        fc.pre(noReset(b, c));
        const left = mergeLayers(mergeLayers(a, b), c);
        const right = mergeLayers(a, mergeLayers(b, c));
        expect(deepEqual(left, right)).toBe(true);
        expect(deepEqual(left, mergeLayers(a, b, c))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("is not associative across resets (documented counterexamples)", () => {
    // A null in b deletes; m(b, c) alone drops it before it can delete anything in a.
    expect(mergeLayers(mergeLayers({ x: 1 }, { x: null }), {})).toEqual({});
    expect(mergeLayers({ x: 1 }, mergeLayers({ x: null }, {}))).toEqual({ x: 1 });
    // A scalar in b followed by an object in c: on the left the object starts afresh, on the
    // right it lands on a's object and merges with it.
    const [a, b, c] = [{ c: { keep: 1 } }, { c: "" }, { c: { new: 2 } }];
    expect(mergeLayers(mergeLayers(a, b), c)).toEqual({ c: { new: 2 } });
    expect(mergeLayers(a, mergeLayers(b, c))).toEqual({ c: { keep: 1, new: 2 } });
    expect(mergeLayers(a, b, c)).toEqual({ c: { new: 2 } });
  });

  it("property: the last layer's scalars always win", () => {
    fc.assert(
      fc.property(configObjectWithNulls, nullFreeConfigObject, (a, b) => {
        const out = mergeLayers(a, b);
        for (const [k, v] of Object.entries(b)) {
          if (v === null || typeof v !== "object" || Array.isArray(v)) expect(deepEqual(out[k], v)).toBe(true);
        }
      }),
    );
  });
});
