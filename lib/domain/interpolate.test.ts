import { describe, expect, it } from "vitest";
import { interpolate, secretPlaceholder, type InterpolationContext } from "./interpolate";

const ctx: InterpolationContext = {
  env: "production",
  service: "api-gateway",
  vars: { REGION: "eu-west-1", PORT: "8000" },
  secrets: { "db-password": "hunter2", "api-key": "k-123" },
  maskSecrets: false,
};

describe("interpolate", () => {
  it("replaces env, service, vars and secrets inside strings, at any depth, and reports refs", () => {
    const r = interpolate(
      {
        application: { environment: "${env.name}", id: "${service.name}-${env.name}" },
        url: "https://${var:REGION}.example.com:${var:PORT}/",
        database: { dsn: "postgres://app:${secret:db-password}@db/${ service.name }" },
        list: ["${var:REGION}", 3, true, null],
        "${env.name}": "keys are left alone",
      },
      ctx,
    );
    expect(r).toEqual({
      ok: true,
      value: {
        application: { environment: "production", id: "api-gateway-production" },
        url: "https://eu-west-1.example.com:8000/",
        database: { dsn: "postgres://app:hunter2@db/api-gateway" },
        list: ["eu-west-1", 3, true, null],
        "${env.name}": "keys are left alone",
      },
      secretPaths: ["/database/dsn"],
      refs: [
        { pointer: "/application/environment", kind: "env", name: "production" },
        { pointer: "/application/id", kind: "service", name: "api-gateway" },
        { pointer: "/application/id", kind: "env", name: "production" },
        { pointer: "/url", kind: "var", name: "REGION" },
        { pointer: "/url", kind: "var", name: "PORT" },
        { pointer: "/database/dsn", kind: "secret", name: "db-password" },
        { pointer: "/database/dsn", kind: "service", name: "api-gateway" },
        { pointer: "/list/0", kind: "var", name: "REGION" },
      ],
    });
  });

  it("turns $${ into a literal ${ and leaves other dollars alone", () => {
    const r = interpolate({ a: "$${var:REGION} costs $5, $$ and ${var:PORT}$", b: "$$${var:PORT}" }, ctx);
    expect(r.ok && r.value).toEqual({ a: "${var:REGION} costs $5, $$ and 8000$", b: "$${var:PORT}" });
  });

  it("names an unknown variable and where it is used, never substituting an empty string", () => {
    expect(interpolate({ db: { host: "${var:MISSING}" } }, ctx)).toEqual({
      ok: false,
      errors: [{ path: "/db/host", message: 'unknown variable "MISSING" in ${var:MISSING}' }],
    });
  });

  it("reports every problem: unknown secret, unknown expression, bad names, unterminated", () => {
    const r = interpolate(
      { a: "${secret:nope}", b: ["${ENV_NAME}"], c: "${secret:DB_PASSWORD}", d: "${var:}", e: "x ${var:PORT" },
      ctx,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { path: "/a", message: 'unknown secret "nope" in ${secret:nope}' },
      { path: "/b/0", message: "unknown expression ${ENV_NAME}: use ${env.name}, ${service.name}, ${var:NAME} or ${secret:NAME} (write $${ for a literal ${)" },
      { path: "/c", message: `invalid secret name "DB_PASSWORD" in \${secret:DB_PASSWORD}: secret names are lowercase letters, digits and '-'` },
      { path: "/d", message: 'invalid variable name "" in ${var:}' },
      { path: "/e", message: 'unterminated "${" (write "$${" for a literal "${")' },
    ]);
  });

  it("masks secrets with a placeholder naming them, still checking names when secrets are known", () => {
    const r = interpolate({ dsn: "p=${secret:db-password}" }, { ...ctx, maskSecrets: true });
    expect(r.ok && r.value).toEqual({ dsn: `p=${secretPlaceholder("db-password")}` });
    expect(r.ok && r.value.dsn).toBe("p=•••• (secret db-password)");
    expect(r.ok && r.secretPaths).toEqual(["/dsn"]);
    expect(interpolate({ dsn: "${secret:nope}" }, { ...ctx, maskSecrets: true }).ok).toBe(false);
  });

  it("does not check secret names when the caller cannot know them (secrets: null), and never leaks", () => {
    const r = interpolate({ a: "${secret:whatever}" }, { ...ctx, secrets: null, maskSecrets: false });
    expect(r).toEqual({
      ok: true,
      value: { a: "•••• (secret whatever)" },
      secretPaths: ["/a"],
      refs: [{ pointer: "/a", kind: "secret", name: "whatever" }],
    });
  });

  it("does not take inherited members for variables", () => {
    expect(interpolate({ a: "${var:toString}" }, ctx).ok).toBe(false);
  });

  it("does not mutate its input", () => {
    const input = { a: { b: "${env.name}" } };
    interpolate(input, ctx);
    expect(input).toEqual({ a: { b: "${env.name}" } });
  });
});
