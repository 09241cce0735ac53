import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prepareSettings, SettingsError } from "./settings";

const KEYS = ["DATABASE_URL", "OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "NEXTAUTH_SECRET", "NEXTAUTH_URL", "NEXUS_MASTER_KEY", "NEXUS_DATA_DIR"];

describe("start-up settings", () => {
  let saved: Record<string, string | undefined>;
  let dir: string;
  beforeEach(() => {
    saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
    for (const k of KEYS) delete process.env[k];
    dir = mkdtempSync(path.join(tmpdir(), "nexus-settings-"));
    process.env.NEXUS_DATA_DIR = dir;
  });
  afterEach(() => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("demo mode generates the secrets once into the data directory and reuses them", () => {
    const first = prepareSettings();
    expect(first.demo).toBe(true);
    const stored = JSON.parse(readFileSync(path.join(dir, "secrets.json"), "utf8"));
    expect(process.env.NEXUS_MASTER_KEY).toBe(stored.masterKey);
    expect(Buffer.from(stored.masterKey, "base64")).toHaveLength(32);
    delete process.env.NEXUS_MASTER_KEY;
    delete process.env.NEXTAUTH_SECRET;
    prepareSettings();
    expect(process.env.NEXUS_MASTER_KEY).toBe(stored.masterKey);
  });

  it("with DATABASE_URL, a missing master key stops the start and is named", () => {
    process.env.DATABASE_URL = "postgres://x@127.0.0.1/db";
    process.env.NEXTAUTH_SECRET = "s";
    expect(() => prepareSettings()).toThrow(SettingsError);
    expect(() => prepareSettings()).toThrow(/NEXUS_MASTER_KEY is required because DATABASE_URL is set/);
  });

  it("with OIDC_ISSUER, every missing sign-in setting is named", () => {
    process.env.OIDC_ISSUER = "https://idp.example.com";
    expect(() => prepareSettings()).toThrow(/OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, NEXTAUTH_SECRET, NEXTAUTH_URL, NEXUS_MASTER_KEY are required/);
  });

  it("refuses a master key that is not 32 bytes", () => {
    process.env.DATABASE_URL = "postgres://x@127.0.0.1/db";
    process.env.NEXTAUTH_SECRET = "s";
    process.env.NEXUS_MASTER_KEY = Buffer.alloc(16).toString("base64");
    expect(() => prepareSettings()).toThrow(/32 bytes/);
  });
});
