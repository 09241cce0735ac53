import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Token format: nxs_<8-char id prefix>_<43-char secret>. The prefix is stored in clear so people
 * can tell tokens apart; the whole token is stored only as its SHA-256.
 */
const TOKEN_RE = /^nxs_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export function generateToken(): { token: string; prefix: string } {
  const prefix = randomBytes(6).toString("base64url").replace(/[-_]/g, "x").slice(0, 8);
  const secret = randomBytes(32).toString("base64url");
  return { token: `nxs_${prefix}_${secret}`, prefix };
}

/**
 * Any bearer value Nexus could have issued: its own nxs_ tokens, or a NEXUS_BOOTSTRAP_TOKEN chosen
 * by an operator (at least 24 characters of the URL-safe alphabet).
 */
const BEARER_RE = /^[A-Za-z0-9_.~-]{24,256}$/;

export function isWellFormedToken(token: string): boolean {
  return BEARER_RE.test(token);
}

export function tokenPrefix(token: string): string | null {
  return TOKEN_RE.exec(token)?.[1] ?? null;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function hashesEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, "hex");
  const bb = Buffer.from(b, "hex");
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
