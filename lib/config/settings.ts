import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Start-up settings. Demo mode (OIDC_ISSUER unset) runs the bundled identity provider and keeps the
 * secrets production must be given in the data directory, generated once. With DATABASE_URL or
 * OIDC_ISSUER set, a missing required setting stops the start with a message naming it.
 */

export class SettingsError extends Error {}

export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.NEXUS_DATA_DIR ?? ".data");
}

export function isDemoIdentity(): boolean {
  return !process.env.OIDC_ISSUER;
}

/** PGlite in the data directory (DATABASE_URL unset), rather than a PostgreSQL server. */
export function usesEmbeddedDatabase(): boolean {
  return !process.env.DATABASE_URL;
}

export interface DemoSecrets {
  nextauthSecret: string;
  masterKey: string;
  idpClientSecret: string;
  idpCookieKey: string;
  idpJwk: Record<string, unknown>;
}

function loadOrCreateDemoSecrets(dir: string): DemoSecrets {
  const file = path.join(dir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as DemoSecrets;
  mkdirSync(dir, { recursive: true });
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const secrets: DemoSecrets = {
    nextauthSecret: randomBytes(32).toString("base64url"),
    masterKey: randomBytes(32).toString("base64"),
    idpClientSecret: randomBytes(24).toString("base64url"),
    idpCookieKey: randomBytes(24).toString("base64url"),
    idpJwk: { ...privateKey.export({ format: "jwk" }), kid: "demo-1", use: "sig", alg: "RS256" },
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

function requireSettings(names: string[], because: string): void {
  const missing = names.filter((n) => !process.env[n]);
  if (missing.length > 0) {
    throw new SettingsError(
      `${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} required because ${because}. ` +
        `Set ${missing.length === 1 ? "it" : "them"} in the environment (see README.md, "Production settings").`,
    );
  }
}

export interface PreparedSettings {
  demo: boolean;
  demoSecrets: DemoSecrets | null;
}

/** Validates the environment and fills in demo-mode secrets. Called once per process at start. */
export function prepareSettings(): PreparedSettings {
  if (process.env.OIDC_ISSUER) {
    requireSettings(
      ["OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "NEXTAUTH_SECRET", "NEXTAUTH_URL", "NEXUS_MASTER_KEY"],
      "OIDC_ISSUER is set (production sign-in)",
    );
  }
  if (process.env.DATABASE_URL) {
    requireSettings(["NEXTAUTH_SECRET", "NEXUS_MASTER_KEY"], "DATABASE_URL is set (production database)");
  }
  const key = process.env.NEXUS_MASTER_KEY;
  if (key && Buffer.from(key, "base64").length !== 32) {
    throw new SettingsError("NEXUS_MASTER_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)");
  }
  if (!isDemoIdentity()) return { demo: false, demoSecrets: null };

  const demoSecrets = loadOrCreateDemoSecrets(dataDir());
  process.env.NEXTAUTH_SECRET ??= demoSecrets.nextauthSecret;
  process.env.NEXUS_MASTER_KEY ??= demoSecrets.masterKey;
  return { demo: true, demoSecrets };
}
