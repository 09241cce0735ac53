import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { configValue } from "./config-arbitraries";
import { cloneValue, deepEqual, isConfigObject, setOwn, type ConfigObject } from "./config-value";

describe("config values", () => {
  it("sets __proto__ as an own member instead of replacing the prototype", () => {
    const o: ConfigObject = {};
    setOwn(o, "__proto__", { polluted: true });
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(Object.keys(o)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("compares as JSON: key order ignored, array order not", () => {
    expect(deepEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual({ a: undefined } as unknown as ConfigObject, { b: 1 })).toBe(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
    expect(deepEqual([], {})).toBe(false);
  });

  it("clones deeply, equal but sharing nothing", () => {
    fc.assert(
      fc.property(configValue, (v) => {
        const c = cloneValue(v);
        expect(deepEqual(c, v)).toBe(true);
        if (isConfigObject(v) && Object.keys(v).length > 0) expect(c).not.toBe(v);
      }),
    );
    const src = { a: { b: [1] } };
    const copy = cloneValue(src);
    (copy.a.b as number[]).push(2);
    expect(src.a.b).toEqual([1]);
  });
});
