// Whether an error means "the database cannot be reached right now" (down, restarting, refusing
// connections), as opposed to a bug or bad input. Such errors answer 503 with Retry-After, so
// that clients retry instead of reporting a server fault.

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  // postgres.js
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  // lib/db/breaker.ts: refused without asking the driver while the database is known to be down
  "DATABASE_UNAVAILABLE",
]);

// SQLSTATE: connection exceptions (class 08), admin/crash shutdown, cannot connect now, too many connections.
const SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (NETWORK_CODES.has(code) || SQLSTATES.has(code) || /^08...$/.test(code))) return true;
    if (e instanceof AggregateError && e.errors.some((x) => isDatabaseUnavailable(x))) return true;
  }
  return false;
}

/** The first error code along the cause chain (ECONNREFUSED, 57P01, …), for logs. */
export function causeCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}
