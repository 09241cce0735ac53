/**
 * Secrets at rest: AES-256-GCM, a fresh random 96-bit nonce per value, and associated data that
 * binds each ciphertext to where it belongs. Error messages never carry the key or the value.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1.";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class SecretDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretDecryptionError";
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new Error("secret encryption key must be 32 bytes");
}

/** Returns "v1." + base64url(nonce ‖ ciphertext ‖ tag). */
export function encryptSecret(key: Buffer, plaintext: string, aad: string): string {
  checkKey(key);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return VERSION + Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]).toString("base64url");
}

export function decryptSecret(key: Buffer, sealed: string, aad: string): string {
  checkKey(key);
  if (!sealed.startsWith(VERSION)) throw new SecretDecryptionError("sealed secret has an unknown format (expected v1.)");
  const body = sealed.slice(VERSION.length);
  if (!/^[A-Za-z0-9_-]*$/.test(body)) throw new SecretDecryptionError("sealed secret is not valid base64url");
  const raw = Buffer.from(body, "base64url");
  if (raw.length < NONCE_BYTES + TAG_BYTES) throw new SecretDecryptionError("sealed secret is truncated");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretDecryptionError("secret could not be decrypted: wrong master key, wrong context, or tampered ciphertext");
  }
}

/** NEXUS_MASTER_KEY: 32 random bytes in base64 (or base64url), e.g. `openssl rand -base64 32`. */
export function parseMasterKey(text: string): Buffer {
  const t = text.trim();
  const hint = "NEXUS_MASTER_KEY must be 32 random bytes in base64 (generate one with `openssl rand -base64 32`)";
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) throw new Error(`${hint}: the value is not base64`);
  const key = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (key.length !== 32) throw new Error(`${hint}: it decodes to ${key.length} bytes`);
  return key;
}

const fingerprintKeys = new WeakMap<Buffer, Buffer>();

/**
 * HMAC-SHA256 of a value under a key derived from the master key (never the master key itself,
 * so a fingerprint cannot be turned into an encryption oracle): compares values without storing them.
 */
export function secretFingerprint(key: Buffer, value: string): string {
  checkKey(key);
  let fk = fingerprintKeys.get(key);
  if (!fk) {
    fk = Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), "nexus-secret-fingerprint", 32));
    fingerprintKeys.set(key, fk);
  }
  return createHmac("sha256", fk).update(value, "utf8").digest("hex");
}
