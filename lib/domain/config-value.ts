/** A configuration value is plain JSON; the top level of every config document is an object. */
export type ConfigValue = string | number | boolean | null | ConfigValue[] | ConfigObject;
export type ConfigObject = { [key: string]: ConfigValue };

/** An error about one place in a document: a JSON pointer ("" for the root) and, when known, its source position. */
export type FieldError = { path: string; message: string; line?: number; column?: number };

/** Keys that would reach Object.prototype through careless code anywhere downstream. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export function isConfigObject(v: unknown): v is ConfigObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Sets an own enumerable member. Plain assignment of "__proto__" would replace the prototype
 * instead of creating a member, so that one key goes through defineProperty.
 */
export function setOwn(obj: ConfigObject, key: string, value: ConfigValue): void {
  if (key === "__proto__") {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

export function cloneValue<T extends ConfigValue>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => cloneValue(x)) as T;
  if (isConfigObject(v)) {
    const out: ConfigObject = {};
    for (const k of Object.keys(v)) setOwn(out, k, cloneValue(v[k] as ConfigValue));
    return out as T;
  }
  return v;
}

/** JSON equality: key order does not matter, array order does, 0 equals -0. */
export function deepEqual(a: ConfigValue | undefined, b: ConfigValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isConfigObject(a)) {
    if (!isConfigObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
