import { describe, expect, it } from "vitest";
import { isValidName, NAME_RE } from "./names";

describe("names", () => {
  it("accepts lowercase DNS-like names up to 63 characters", () => {
    for (const n of ["a", "api-gateway", "nags-7", "0day", "a".repeat(63)]) expect(isValidName(n), n).toBe(true);
  });
  it("refuses capitals, leading dashes, underscores, dots, empty and over-long names", () => {
    for (const n of ["", "-a", "Api", "a_b", "a.b", "a b", "a".repeat(64), "é"]) expect(isValidName(n), n).toBe(false);
  });
  it("refuses non-strings and exposes the same rule as a regex", () => {
    expect(isValidName(42)).toBe(false);
    expect(isValidName(null)).toBe(false);
    expect(NAME_RE.test("redis")).toBe(true);
  });
});
