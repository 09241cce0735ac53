/**
 * JSON Schema (draft 2020-12) validation of config documents, with errors as JSON pointers into
 * the config and messages a person can act on.
 */
import Ajv2020, { type ErrorObject } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { canonicalJson, sha256Hex } from "./canonical-json";
import type { ConfigValue, FieldError } from "./config-value";
import { childPointer } from "./pointer";

export type CompiledSchema = { ok: true; validate(value: unknown): FieldError[] } | { ok: false; errors: FieldError[] };

// strict: false lets schemas carry annotations of their own (x-ui, descriptions in custom
// keywords) without being refused; the schema itself is still checked against the meta-schema.
const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: true, validateFormats: true, logger: false });
addFormats(ajv);

const CACHE_LIMIT = 256;
const cache = new Map<string, CompiledSchema>();

export function compileConfigSchema(schema: unknown): CompiledSchema {
  if (typeof schema !== "boolean" && (typeof schema !== "object" || schema === null || Array.isArray(schema))) {
    return { ok: false, errors: [{ path: "", message: "a JSON Schema must be an object or a boolean" }] };
  }
  const text = canonicalJson(schema);
  const key = sha256Hex(text);
  const hit = cache.get(key);
  if (hit) {
    // Re-insert so the map's insertion order doubles as least-recently-used order.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const compiled = compile(JSON.parse(text) as object | boolean);
  cache.set(key, compiled);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return compiled;
}

function compile(schema: object | boolean): CompiledSchema {
  if (!ajv.validateSchema(schema)) {
    return { ok: false, errors: dedupe((ajv.errors ?? []).map((e) => ({ path: e.instancePath, message: `invalid schema: ${e.message ?? "invalid"}` }))) };
  }
  try {
    const fn = ajv.compile(schema);
    return {
      ok: true,
      validate(value: unknown): FieldError[] {
        if (fn(value)) return [];
        return dedupe((fn.errors ?? []).map(toFieldError));
      },
    };
  } catch (e) {
    return { ok: false, errors: [{ path: "", message: `invalid schema: ${e instanceof Error ? e.message : String(e)}` }] };
  } finally {
    // ajv keeps every compiled schema (and its $id) in the shared instance: forgetting it keeps
    // memory bounded by our own cache and stops one service's $id from clashing with another's.
    if (typeof schema === "object") ajv.removeSchema(schema);
  }
}

function toFieldError(e: ErrorObject): FieldError {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return { path: childPointer(e.instancePath, String(p.missingProperty)), message: `required property '${String(p.missingProperty)}' is missing` };
    case "additionalProperties":
      return { path: childPointer(e.instancePath, String(p.additionalProperty)), message: `property '${String(p.additionalProperty)}' is not allowed` };
    case "unevaluatedProperties":
      return { path: childPointer(e.instancePath, String(p.unevaluatedProperty)), message: `property '${String(p.unevaluatedProperty)}' is not allowed` };
    case "dependentRequired":
      return { path: childPointer(e.instancePath, String(p.missingProperty)), message: `required property '${String(p.missingProperty)}' is missing (needed when '${String(p.property)}' is set)` };
    case "enum":
      return { path: e.instancePath, message: `must be one of ${(p.allowedValues as ConfigValue[]).map((v) => JSON.stringify(v)).join(", ")}` };
    case "const":
      return { path: e.instancePath, message: `must be ${JSON.stringify(p.allowedValue)}` };
    default:
      return { path: e.instancePath, message: e.message ?? `fails ${e.keyword}` };
  }
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = e.path + "\n" + e.message;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
