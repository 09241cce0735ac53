import fc from "fast-check";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { nullFreeConfigObject } from "./config-arbitraries";
import { parseConfigSource } from "./parse-config-source";
import { envKey, flattenForEnv, renderConfig } from "./render-config";

const config = {
  database: { host: "db.internal", port: 5432, ssl: true, max_connections: 100, password: "p@ss word" },
  servers: ["a", "b"],
  "log-level": "WARNING",
  motd: 'line 1\nsays "hi" # not a comment',
  empty: "",
  nothing: null,
  features: {},
};
const opts = { name: "api-gateway", env: "production", secretPaths: ["/database/password"] };

describe("renderConfig", () => {
  it("renders pretty JSON with a trailing newline", () => {
    const r = renderConfig({ a: { b: 1 } }, "json", opts);
    expect(r).toEqual({ body: '{\n  "a": {\n    "b": 1\n  }\n}\n', contentType: "application/json" });
  });

  it("renders YAML that parses back to the same value, without anchors or folding", () => {
    const shared = { x: 1 };
    const value = { a: shared, b: shared, long: "y".repeat(200) };
    const r = renderConfig(value, "yaml", opts);
    expect(r.contentType).toBe("application/yaml");
    expect(r.body).not.toMatch(/[&*]a\d/);
    expect(r.body).toContain("long: " + "y".repeat(200) + "\n");
    expect(parse(r.body)).toEqual(value);
  });

  it("renders .env with upper-cased joined keys, indexes for arrays and quoting where needed", () => {
    const r = renderConfig(config, "env", opts);
    expect(r.contentType).toBe("text/plain; charset=utf-8");
    expect(r.body).toBe(
      [
        "DATABASE_HOST=db.internal",
        "DATABASE_PORT=5432",
        "DATABASE_SSL=true",
        "DATABASE_MAX_CONNECTIONS=100",
        'DATABASE_PASSWORD="p@ss word"',
        "SERVERS_0=a",
        "SERVERS_1=b",
        "LOG_LEVEL=WARNING",
        'MOTD="line 1\\nsays \\"hi\\" # not a comment"',
        'EMPTY=""',
        "NOTHING=",
        "",
      ].join("\n"),
    );
  });

  it("round-trips a nested object through .env", () => {
    const body = renderConfig(config, "env", opts).body;
    const r = parseConfigSource(body, "env");
    expect(r.ok && r.value).toEqual({
      DATABASE_HOST: "db.internal",
      DATABASE_PORT: "5432",
      DATABASE_SSL: "true",
      DATABASE_MAX_CONNECTIONS: "100",
      DATABASE_PASSWORD: "p@ss word",
      SERVERS_0: "a",
      SERVERS_1: "b",
      LOG_LEVEL: "WARNING",
      MOTD: 'line 1\nsays "hi" # not a comment',
      EMPTY: "",
      NOTHING: "",
    });
  });

  it("property: every leaf survives the .env round trip as its text", () => {
    fc.assert(
      fc.property(nullFreeConfigObject, (obj) => {
        // U+0000 can never be in a stored config: every source that holds one is refused (parse-config-source.ts).
        fc.pre(!JSON.stringify(obj).includes("\\u0000"));
        const r = parseConfigSource(renderConfig(obj, "env", opts).body, "env");
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const expected: Record<string, string> = {};
        for (const f of flattenForEnv(obj, [])) expected[f.key] = f.value === null ? "" : typeof f.value === "string" ? f.value : JSON.stringify(f.value);
        expect(r.value).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("makes keys valid variable names and keeps the first of two colliding paths", () => {
    expect(envKey(["1st", "a.b-c"])).toBe("_1ST_A_B_C");
    expect(flattenForEnv({ "a.b": 1, a_b: 2, a: { b: 3 } }, [])).toEqual([{ key: "A_B", pointer: "/a.b", value: 1 }]);
  });

  it("renders a ConfigMap without any secret, values as strings", () => {
    const r = renderConfig(config, "configmap", { ...opts, secretPaths: ["/database/password", "/servers"] });
    expect(r.contentType).toBe("application/yaml");
    const manifest = parse(r.body);
    expect(manifest).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "api-gateway-config",
        labels: { "app.kubernetes.io/name": "api-gateway", "app.kubernetes.io/managed-by": "nexus", "nexus/environment": "production" },
      },
      data: {
        DATABASE_HOST: "db.internal",
        DATABASE_PORT: "5432",
        DATABASE_SSL: "true",
        DATABASE_MAX_CONNECTIONS: "100",
        LOG_LEVEL: "WARNING",
        MOTD: 'line 1\nsays "hi" # not a comment',
        EMPTY: "",
        NOTHING: "",
      },
    });
    expect(r.body).not.toContain("p@ss");
    for (const v of Object.values(manifest.data)) expect(typeof v).toBe("string");
  });
});
