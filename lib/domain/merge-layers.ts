/**
 * Layered configuration: later layers win. Objects merge member by member, arrays and scalars
 * replace whole, and a `null` member removes the key. The result never contains null members of
 * objects (there is nothing left for them to delete); null elements inside arrays are values and stay.
 *
 * Algebra (property-tested in merge-layers.test.ts), writing m for mergeLayers:
 * - identity:     m({}, a) = m(a, {}) = m(a), and m(a) = a when a has no null members;
 * - idempotence:  m(a, a) = a for null-free a;
 * - associativity: m(m(a, b), c) = m(a, m(b, c)) = m(a, b, c) when b and c have no null members
 *   and c never puts an object where b put a scalar or an array (a may be anything). Both
 *   exceptions are "resets" that only mean something against what lies below them, which m(b, c)
 *   alone cannot see: with a = {x: 1}, b = {x: null}, c = {} the left side is {} and the right
 *   {x: 1}; with a = {x: {k: 1}}, b = {x: ""}, c = {x: {}} the left is {x: {}}, the right {x: {k: 1}}.
 *   So layers are applied in order from the bottom (mergeLayers(a, b, c)); never pre-combine overlays.
 */
import { cloneValue, isConfigObject, setOwn, type ConfigObject, type ConfigValue } from "./config-value";

export function mergeLayers(...layers: (ConfigObject | null | undefined)[]): ConfigObject {
  let out: ConfigObject = {};
  for (const layer of layers) {
    if (layer) out = mergeInto(out, layer);
  }
  return out;
}

/** `base` is already a fresh, null-free object owned by us; `over` is caller data, never mutated. */
function mergeInto(base: ConfigObject, over: ConfigObject): ConfigObject {
  for (const key of Object.keys(over)) {
    const v = over[key] as ConfigValue;
    if (v === null) {
      delete base[key];
      continue;
    }
    const current = Object.prototype.hasOwnProperty.call(base, key) ? base[key] : undefined;
    if (isConfigObject(v)) {
      setOwn(base, key, mergeInto(isConfigObject(current) ? current : {}, v));
    } else {
      setOwn(base, key, cloneValue(v));
    }
  }
  return base;
}
