/**
 * A safety net under the use cases, which already leave secret values out of what they audit:
 * members with these names never reach an audit payload.
 */
const SECRET_KEYS = new Set(["secret", "secrethash", "secret_hash", "password", "token", "privatekey", "private_key"]);

export const REDACTED = "[redacted]";

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 64) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEYS.has(k.toLowerCase()) ? REDACTED : redactSecrets(v, depth + 1);
    }
    return out;
  }
  return value;
}
