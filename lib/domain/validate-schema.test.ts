import { describe, expect, it } from "vitest";
import { compileConfigSchema } from "./validate-schema";

const schema = {
  type: "object",
  required: ["database"],
  properties: {
    database: {
      type: "object",
      required: ["host", "port"],
      additionalProperties: false,
      properties: {
        host: { type: "string", format: "hostname" },
        port: { type: "integer", minimum: 1, maximum: 65535 },
        ssl: { type: "boolean" },
      },
    },
    log_level: { enum: ["DEBUG", "INFO", "WARNING", "ERROR"] },
    "a/b": { type: "string" },
  },
};

function compiled(s: unknown) {
  const c = compileConfigSchema(s);
  if (!c.ok) throw new Error(JSON.stringify(c.errors));
  return c;
}

describe("compileConfigSchema", () => {
  it("accepts a valid config", () => {
    expect(compiled(schema).validate({ database: { host: "db.internal", port: 5432, ssl: true }, log_level: "INFO" })).toEqual([]);
  });

  it("points at the missing property for `required`", () => {
    expect(compiled(schema).validate({ database: { port: 5432 } })).toEqual([{ path: "/database/host", message: "required property 'host' is missing" }]);
    expect(compiled(schema).validate({})).toEqual([{ path: "/database", message: "required property 'database' is missing" }]);
  });

  it("reports every error with its instance path and a readable message", () => {
    const errors = compiled(schema).validate({ database: { host: "not a host!", port: 70000.5, extra: 1 }, log_level: "TRACE", "a/b": 3 });
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: "/database/extra", message: "property 'extra' is not allowed" },
        { path: "/database/host", message: 'must match format "hostname"' },
        { path: "/database/port", message: "must be integer" },
        { path: "/database/port", message: "must be <= 65535" },
        { path: "/log_level", message: 'must be one of "DEBUG", "INFO", "WARNING", "ERROR"' },
        { path: "/a~1b", message: "must be string" },
      ]),
    );
    expect(errors).toHaveLength(6);
  });

  it("refuses a schema that is not valid JSON Schema 2020-12, with the schema path", () => {
    const r = compileConfigSchema({ type: 12 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors.every((e) => e.path === "/type" && e.message.startsWith("invalid schema: "))).toBe(true);
    expect(compileConfigSchema({ properties: { a: { minimum: "x" } } })).toMatchObject({ ok: false, errors: [{ path: "/properties/a/minimum" }] });
    expect(compileConfigSchema([1, 2])).toMatchObject({ ok: false });
    expect(compileConfigSchema({ $ref: "https://example.com/elsewhere.json" })).toMatchObject({ ok: false, errors: [{ path: "", message: expect.stringContaining("invalid schema") }] });
  });

  it("allows unknown annotation keywords and 2020-12 features", () => {
    const c = compiled({ type: "object", "x-ui": { widget: "slider" }, properties: { tags: { type: "array", prefixItems: [{ const: "a" }] } } });
    expect(c.validate({ tags: ["b"] })).toEqual([{ path: "/tags/0", message: 'must be "a"' }]);
  });

  it("caches by content: equal schemas, whatever their key order, share one compiled validator", () => {
    const a = compileConfigSchema({ type: "object", required: ["x"] });
    const b = compileConfigSchema({ required: ["x"], type: "object" });
    expect(a).toBe(b);
  });

  it("compiles two schemas with the same $id independently", () => {
    const one = compiled({ $id: "https://nexus/schemas/svc", type: "object", required: ["a"] });
    const two = compiled({ $id: "https://nexus/schemas/svc", type: "object", required: ["b"] });
    expect(one.validate({ b: 1 })).toEqual([{ path: "/a", message: "required property 'a' is missing" }]);
    expect(two.validate({ a: 1 })).toEqual([{ path: "/b", message: "required property 'b' is missing" }]);
  });

  it("accepts boolean schemas", () => {
    expect(compiled(true).validate({ a: 1 })).toEqual([]);
    expect(compiled(false).validate({ a: 1 })).toEqual([{ path: "", message: "boolean schema is false" }]);
  });
});
