import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, parseMasterKey, SecretDecryptionError, secretFingerprint } from "./secret-crypto";

const key = randomBytes(32);
const aad = "nexus-secret/svc/env/db-password/1";

describe("secret encryption", () => {
  it("round-trips unicode values and never repeats a ciphertext", () => {
    const value = "p@ss wörd 🔑";
    const a = encryptSecret(key, value, aad);
    const b = encryptSecret(key, value, aad);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(Buffer.from(value).toString("base64url"));
    expect(decryptSecret(key, a, aad)).toBe(value);
    expect(decryptSecret(key, encryptSecret(key, "", aad), aad)).toBe("");
  });

  it("lays out nonce (12) | ciphertext | tag (16)", () => {
    const raw = Buffer.from(encryptSecret(key, "abcde", aad).slice(3), "base64url");
    expect(raw.length).toBe(12 + 5 + 16);
  });

  it("throws on tampering, a wrong key or a wrong context, without leaking anything", () => {
    const sealed = encryptSecret(key, "top-secret-value", aad);
    const raw = Buffer.from(sealed.slice(3), "base64url");
    raw[14]! ^= 1;
    const tampered = "v1." + raw.toString("base64url");
    for (const attempt of [
      () => decryptSecret(key, tampered, aad),
      () => decryptSecret(randomBytes(32), sealed, aad),
      () => decryptSecret(key, sealed, aad + "x"),
    ]) {
      expect(attempt).toThrow(SecretDecryptionError);
      try {
        attempt();
      } catch (e) {
        expect((e as Error).message).toBe("secret could not be decrypted: wrong master key, wrong context, or tampered ciphertext");
        expect((e as Error).message).not.toContain("top-secret");
      }
    }
  });

  it("refuses malformed sealed values clearly", () => {
    expect(() => decryptSecret(key, "v2.abc", aad)).toThrow(/unknown format/);
    expect(() => decryptSecret(key, "v1.!!!", aad)).toThrow(/base64url/);
    expect(() => decryptSecret(key, "v1.AAAA", aad)).toThrow(/truncated/);
    expect(() => encryptSecret(randomBytes(16), "x", aad)).toThrow(/32 bytes/);
  });
});

describe("parseMasterKey", () => {
  it("accepts 32 bytes in base64 or base64url, trimming whitespace", () => {
    const k = randomBytes(32);
    expect(parseMasterKey(k.toString("base64") + "\n").equals(k)).toBe(true);
    expect(parseMasterKey(k.toString("base64url")).equals(k)).toBe(true);
  });

  it("names NEXUS_MASTER_KEY and never echoes the value", () => {
    const short = randomBytes(16).toString("base64");
    expect(() => parseMasterKey(short)).toThrow(/NEXUS_MASTER_KEY.*decodes to 16 bytes/);
    expect(() => parseMasterKey("not base64 at all")).toThrow(/NEXUS_MASTER_KEY.*not base64/);
    try {
      parseMasterKey(short);
    } catch (e) {
      expect((e as Error).message).not.toContain(short);
    }
  });
});

describe("secretFingerprint", () => {
  it("is stable per key and value, differs across values and keys, and is not a plain hash", () => {
    const f = secretFingerprint(key, "hunter2");
    expect(f).toMatch(/^[0-9a-f]{64}$/);
    expect(secretFingerprint(key, "hunter2")).toBe(f);
    expect(secretFingerprint(key, "hunter3")).not.toBe(f);
    expect(secretFingerprint(randomBytes(32), "hunter2")).not.toBe(f);
  });

  it("uses an HKDF-derived key, not the master key itself", async () => {
    const { createHmac, hkdfSync } = await import("node:crypto");
    const fixed = Buffer.alloc(32, 7);
    expect(secretFingerprint(fixed, "v")).not.toBe(createHmac("sha256", fixed).update("v").digest("hex"));
    const derived = Buffer.from(hkdfSync("sha256", fixed, Buffer.alloc(0), "nexus-secret-fingerprint", 32));
    expect(secretFingerprint(fixed, "v")).toBe(createHmac("sha256", derived).update("v").digest("hex"));
  });
});
