/** fast-check generators of config values, shared by the property tests of lib/domain. */
import fc from "fast-check";
import type { ConfigObject, ConfigValue } from "./config-value";

// A small key alphabet so that random layers overlap and merges actually meet; plus odd keys
// (pointer escapes, empty, "__proto__") to keep the escaping and safe assignment honest.
const key = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("a", "b", "c", "x") },
  { weight: 1, arbitrary: fc.constantFrom("", "a/b", "~0", "__proto__", "0") },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
);
const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: "binary", maxLength: 4 }), fc.constantFrom("", " x ", "a#b", "${", "\\n", "'q'", "\r\n"), fc.integer(), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }));

function tree(withNulls: boolean) {
  return fc.letrec<{ value: ConfigValue; object: ConfigObject }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      scalar,
      ...(withNulls ? [fc.constant(null)] : []),
      fc.array(fc.oneof(scalar, fc.constant(null), tie("value")), { maxLength: 3 }),
      tie("object"),
    ),
    object: fc.dictionary(key, tie("value"), { maxKeys: 4, noNullPrototype: true }),
  }));
}

/** Objects whose members may be null (deletions, in layer terms). */
export const configObjectWithNulls = tree(true).object;
/** Objects with no null member anywhere (null may still appear as an array element). */
export const nullFreeConfigObject = tree(false).object;
/** Any JSON value. */
export const configValue = tree(true).value;
