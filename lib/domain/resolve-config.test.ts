import { describe, expect, it } from "vitest";
import { resolveConfig, type ResolveInput } from "./resolve-config";

const rev = (n: number) => ({ id: `rev-${n}`, number: n });

function input(overrides: Partial<ResolveInput> = {}): ResolveInput {
  return {
    layers: [
      {
        kind: "shared",
        value: { application: { name: "nexus", environment: "${env.name}" }, features: { sso: true, audit: true }, limits: { rps: 100 } },
        revision: rev(1),
      },
      {
        kind: "base",
        value: { database: { host: "db", port: 5432, password: "${secret:db-password}" }, servers: [{ host: "a" }, { host: "b" }] },
        revision: rev(7),
      },
      {
        kind: "overlay",
        value: { database: { host: "${var:DB_HOST}", ssl: true }, features: { audit: null }, limits: {} },
        revision: rev(12),
      },
    ],
    env: "production",
    service: "nexus-backend",
    vars: { DB_HOST: "db.prod.internal" },
    secrets: { "db-password": "s3cret" },
    maskSecrets: false,
    ...overrides,
  };
}

describe("resolveConfig", () => {
  it("merges shared → base → overlay, then interpolates", () => {
    const r = resolveConfig(input());
    expect(r.ok && r.value).toEqual({
      application: { name: "nexus", environment: "production" },
      features: { sso: true },
      limits: { rps: 100 },
      database: { host: "db.prod.internal", port: 5432, password: "s3cret", ssl: true },
      servers: [{ host: "a" }, { host: "b" }],
    });
    expect(r.ok && r.secretPaths).toEqual(["/database/password"]);
  });

  it("takes precedence from the layer kind, not from the order given", () => {
    const layers = input().layers.slice().reverse();
    const r = resolveConfig(input({ layers }));
    expect(r.ok && (r.value.database as Record<string, unknown>).host).toBe("db.prod.internal");
  });

  it("says for every leaf which layer and revision set it, and which variable or secret it came through", () => {
    const r = resolveConfig(input());
    if (!r.ok) throw new Error("expected ok");
    expect(r.provenance).toEqual({
      "/application/name": { layer: "shared", revision: rev(1) },
      "/application/environment": { layer: "shared", revision: rev(1) },
      "/features/sso": { layer: "shared", revision: rev(1) },
      "/limits/rps": { layer: "shared", revision: rev(1) },
      "/database/host": { layer: "variable", revision: rev(12), via: "DB_HOST", definedIn: "overlay" },
      "/database/port": { layer: "base", revision: rev(7) },
      "/database/password": { layer: "secret", revision: rev(7), via: "db-password", definedIn: "base" },
      "/database/ssl": { layer: "overlay", revision: rev(12) },
      "/servers/0/host": { layer: "base", revision: rev(7) },
      "/servers/1/host": { layer: "base", revision: rev(7) },
    });
  });

  it("attributes array elements to the layer that set the whole array", () => {
    const r = resolveConfig({
      ...input(),
      layers: [
        { kind: "base", value: { hosts: ["a", "b"], empty: { x: 1 } }, revision: rev(1) },
        { kind: "overlay", value: { hosts: ["c"], empty: {} }, revision: null },
      ],
    });
    expect(r.ok && r.provenance).toEqual({
      "/hosts/0": { layer: "overlay", revision: null },
      "/empty/x": { layer: "base", revision: rev(1) },
    });
  });

  it("gives empty objects and arrays a provenance of their own", () => {
    const r = resolveConfig({ ...input(), layers: [{ kind: "overlay", value: { a: {}, b: [] }, revision: rev(3) }] });
    expect(r.ok && r.provenance).toEqual({ "/a": { layer: "overlay", revision: rev(3) }, "/b": { layer: "overlay", revision: rev(3) } });
  });

  it("handles layers that do not exist yet", () => {
    const r = resolveConfig({ ...input(), layers: [{ kind: "shared", value: null, revision: null }, { kind: "overlay", value: { a: 1 }, revision: rev(1) }] });
    expect(r.ok && r.value).toEqual({ a: 1 });
  });

  it("masks secrets for callers without secrets:read", () => {
    const r = resolveConfig(input({ secrets: null, maskSecrets: true }));
    expect(r.ok && (r.value.database as Record<string, unknown>).password).toBe("•••• (secret db-password)");
    expect(r.ok && r.secretPaths).toEqual(["/database/password"]);
  });

  it("fails with the interpolation errors", () => {
    const r = resolveConfig(input({ vars: {} }));
    expect(r).toEqual({ ok: false, errors: [{ path: "/database/host", message: 'unknown variable "DB_HOST" in ${var:DB_HOST}' }] });
  });
});
