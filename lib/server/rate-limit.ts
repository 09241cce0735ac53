import "server-only";
import { ServiceError } from "./errors";

/**
 * Per-instance token-bucket rate limits (RELIABILITY.md, "Rate limits"). In memory: several
 * instances each allow the full rate, which is acceptable for a guard against runaway clients and
 * brute force; it is not a quota.
 *
 * Kinds and defaults (requests per second, burst), each overridable with
 * NEXUS_RATE_LIMIT_<KIND>="<perSecond>,<burst>" or "off"; NEXUS_RATE_LIMITS=off switches all off:
 * - delivery: bearer reads of resolved configs on the fast path, per token. Far above what one
 *   instance serves in all (~14k req/s), so it only stops one token from taking the whole machine.
 * - read: other API reads, per principal (App Router, ~2k req/s per instance in all).
 * - write: API mutations, per principal, checked before the body is read or parsed (a config save
 *   parses up to 1 MiB of YAML, ~1 s of CPU per 0.5 MB).
 * - auth_failure: refused bearer tokens, per client IP (token guessing).
 * - sign_in: starts and callbacks of the OIDC sign-in, per client IP.
 */
export const RATE_LIMIT_KINDS = ["delivery", "read", "write", "auth_failure", "sign_in"] as const;
export type RateLimitKind = (typeof RATE_LIMIT_KINDS)[number];

export interface Limit {
  perSecond: number;
  burst: number;
}

export const DEFAULT_LIMITS: Record<RateLimitKind, Limit> = {
  delivery: { perSecond: 20_000, burst: 40_000 },
  read: { perSecond: 200, burst: 400 },
  write: { perSecond: 50, burst: 100 },
  auth_failure: { perSecond: 10, burst: 50 },
  sign_in: { perSecond: 1, burst: 60 },
};

const MAX_KEYS = 100_000;

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly limits: Partial<Record<RateLimitKind, Limit | null>>) {}

  /** Takes one request from `key`'s bucket; null when allowed, else the seconds to wait. */
  take(kind: RateLimitKind, key: string, now = Date.now()): number | null {
    const limit = this.limits[kind];
    if (!limit) return null;
    const id = `${kind}\u0000${key}`;
    let b = this.buckets.get(id);
    if (b === undefined) {
      if (this.buckets.size >= MAX_KEYS) this.sweep(now);
      b = { tokens: limit.burst, at: now };
      this.buckets.set(id, b);
    } else {
      b.tokens = Math.min(limit.burst, b.tokens + ((now - b.at) / 1000) * limit.perSecond);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return null;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / limit.perSecond));
  }

  /** Seconds until `key` may try again when its bucket is empty, else null; takes nothing. */
  blocked(kind: RateLimitKind, key: string, now = Date.now()): number | null {
    const limit = this.limits[kind];
    const b = limit ? this.buckets.get(`${kind}\u0000${key}`) : undefined;
    if (!limit || b === undefined) return null;
    const tokens = Math.min(limit.burst, b.tokens + ((now - b.at) / 1000) * limit.perSecond);
    return tokens >= 1 ? null : Math.max(1, Math.ceil((1 - tokens) / limit.perSecond));
  }

  /** Like take, but throws the 429 the route wrapper and the fast path answer (with Retry-After). */
  check(kind: RateLimitKind, key: string, now = Date.now()): void {
    const wait = this.take(kind, key, now);
    if (wait !== null) throw rateLimited(wait);
  }

  /** Drops buckets that have refilled completely (they behave exactly like absent ones). */
  private sweep(now: number): void {
    for (const [id, b] of this.buckets) {
      const limit = this.limits[id.slice(0, id.indexOf("\u0000")) as RateLimitKind];
      if (!limit || b.tokens + ((now - b.at) / 1000) * limit.perSecond >= limit.burst) this.buckets.delete(id);
    }
    // Still full of active keys (a flood of distinct keys): start over rather than grow without bound.
    if (this.buckets.size >= MAX_KEYS) this.buckets.clear();
  }
}

export function rateLimited(wait: number): ServiceError {
  return new ServiceError("rate_limited", `Too many requests; retry in ${wait} s.`, { retryAfter: wait });
}

/**
 * Bearer authentication guarded against token guessing: once a client IP has used up its
 * auth_failure bucket it is refused before its token is even looked up (so a lucky guess does not
 * get through), and every refused token takes one from the bucket.
 */
export async function guardTokenGuessing<T>(ip: string | null, authenticate: () => T | Promise<T>): Promise<T> {
  const limiter = rateLimiter();
  const key = ip ?? "unknown";
  const wait = limiter.blocked("auth_failure", key);
  if (wait !== null) throw rateLimited(wait);
  try {
    return await authenticate();
  } catch (err) {
    if (err instanceof ServiceError && err.code === "unauthenticated") limiter.take("auth_failure", key);
    throw err;
  }
}

/** Reads the limits from the environment; a malformed value is a start-up error, not a silent default. */
export function limitsFromEnv(env: Record<string, string | undefined> = process.env): Record<RateLimitKind, Limit | null> {
  const allOff = env.NEXUS_RATE_LIMITS === "off";
  const out = {} as Record<RateLimitKind, Limit | null>;
  for (const kind of RATE_LIMIT_KINDS) {
    const name = `NEXUS_RATE_LIMIT_${kind.toUpperCase()}`;
    const raw = env[name]?.trim();
    if (allOff || raw === "off") {
      out[kind] = null;
      continue;
    }
    if (!raw) {
      out[kind] = DEFAULT_LIMITS[kind];
      continue;
    }
    const m = /^(\d+(?:\.\d+)?)\s*,\s*(\d+)$/.exec(raw);
    if (!m || Number(m[1]) <= 0 || Number(m[2]) < 1) {
      throw new Error(`${name}: write "<requests per second>,<burst>" (e.g. "50,100") or "off"; got "${raw}"`);
    }
    out[kind] = { perSecond: Number(m[1]), burst: Number(m[2]) };
  }
  return out;
}

// One limiter per process, shared by the custom server and the route bundles (like lib/log.ts).
const g = globalThis as unknown as { __nexusRateLimiter?: RateLimiter };

export function rateLimiter(): RateLimiter {
  return (g.__nexusRateLimiter ??= new RateLimiter(limitsFromEnv()));
}

/** For tests: installs a limiter with the given limits (or the environment's when null). */
export function resetRateLimiter(limits: Partial<Record<RateLimitKind, Limit | null>> | null = null): RateLimiter {
  g.__nexusRateLimiter = new RateLimiter(limits ?? limitsFromEnv());
  return g.__nexusRateLimiter;
}
