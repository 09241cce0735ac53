import "server-only";
import { metrics } from "@/lib/metrics";
import type { OutputFormat } from "../configs/get-resolved-config";
import type { ConfigChange } from "../events/notify";
import { flatSecurityHeaders, httpsByConfig } from "@/lib/api/security-headers";

/** A rendered config, ready to write: body bytes and both header lists built once. */
export interface CachedConfig {
  service: string;
  env: string;
  etag: string;
  body: Buffer;
  /** Names of the secrets whose values the body carries (empty when masked): their delivery is audited. */
  secrets: string[];
  /** Flat [name, value, …] lists for writeHead: no header object is built per request. */
  okHeaders: string[];
  notModifiedHeaders: string[];
  /** Read since the eviction hand last passed (CLOCK): a hit only sets this flag. */
  used: boolean;
}

export interface ConfigCacheLimits {
  maxEntries: number;
  maxBytes: number;
}

const DEFAULT_LIMITS: ConfigCacheLimits = {
  maxEntries: Number(process.env.NEXUS_DELIVERY_CACHE_ENTRIES ?? 20_000),
  maxBytes: Number(process.env.NEXUS_DELIVERY_CACHE_MB ?? 128) * 1024 * 1024,
};

// Names match ^[a-z0-9][a-z0-9-]*$, so "/" cannot occur inside one and the key is unambiguous.
export function cacheKey(service: string, env: string, format: OutputFormat, reveal: boolean): string {
  return `${service}/${env}/${format}/${reveal ? "s" : "m"}`;
}

/** Header lists shaped like the App Router route's answer (lib/api/config-response.ts). */
export function cachedConfig(r: { service: string; env: string; body: string; contentType: string; etag: string; secrets?: string[] }): CachedConfig {
  const body = Buffer.from(r.body, "utf8");
  const common = ["etag", r.etag, "cache-control", "private, no-cache", "vary", "authorization, cookie", ...flatSecurityHeaders(httpsByConfig())];
  return {
    service: r.service,
    env: r.env,
    etag: r.etag,
    body,
    secrets: r.secrets ?? [],
    okHeaders: [...common, "content-type", r.contentType, "content-length", String(body.length)],
    notModifiedHeaders: common,
    used: false,
  };
}

/**
 * Rendered resolved configs, bounded by entries and bytes; eviction approximates least recently
 * used with CLOCK (second chance), so that a hit costs one flag write rather than Map churn.
 * Correctness rests on two rules: every change notice drops the entries it reaches, and a fill
 * that began before a notice reaching its service and environment is not stored (it may have read
 * the database before the change). Notices about other services do not spoil a fill: under steady
 * writes a global rule would refuse every slow fill, and after a full drop the cache would never
 * fill again (seen in `npm run bench -- faults` after a database restart).
 */
export class ConfigCache {
  private readonly entries = new Map<string, CachedConfig>();
  private bytes = 0;
  private generationNo = 0;
  // The generation of the last notice reaching everything, one pair, one service or one environment.
  private fullAt = 0;
  private readonly pairAt = new Map<string, number>();
  private readonly serviceAt = new Map<string, number>();
  private readonly envAt = new Map<string, number>();
  private storing = true;
  private readonly limits: ConfigCacheLimits;

  constructor(limits: Partial<ConfigCacheLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Changes with every invalidation; a fill records it before reading the database. */
  get generation(): number {
    return this.generationNo;
  }

  get size(): number {
    return this.entries.size;
  }

  get byteSize(): number {
    return this.bytes;
  }

  get(key: string): CachedConfig | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined) entry.used = true;
    return entry;
  }

  /** Whether no change notice reaching (service, env) came in since `generation` was read. */
  isCurrent(service: string, env: string, generation: number): boolean {
    return (
      this.fullAt <= generation &&
      (this.pairAt.get(`${service}\u0000${env}`) ?? 0) <= generation &&
      (this.serviceAt.get(service) ?? 0) <= generation &&
      (this.envAt.get(env) ?? 0) <= generation
    );
  }

  /** Stores a fill unless a change notice reaching its service and environment came in since `generation` was read. */
  set(key: string, entry: CachedConfig, generation: number): boolean {
    if (!this.storing || !this.isCurrent(entry.service, entry.env, generation)) return false;
    if (entry.body.length > this.limits.maxBytes / 8) return false; // one huge config must not flush the rest
    this.remove(key);
    this.entries.set(key, entry);
    this.bytes += entry.body.length;
    while (this.entries.size > this.limits.maxEntries || this.bytes > this.limits.maxBytes) this.evictOne(key);
    this.report();
    return true;
  }

  /** Drops what a change reaches; null: everything. Returns how many entries went. */
  invalidate(change: ConfigChange | null): number {
    const g = ++this.generationNo;
    let dropped = 0;
    if (change === null || (change.service === null && change.env === null)) {
      this.fullAt = g;
      this.pairAt.clear();
      this.serviceAt.clear();
      this.envAt.clear();
      dropped = this.entries.size;
      this.entries.clear();
      this.bytes = 0;
    } else {
      if (change.service !== null && change.env !== null) this.pairAt.set(`${change.service}\u0000${change.env}`, g);
      else if (change.service !== null) this.serviceAt.set(change.service, g);
      else if (change.env !== null) this.envAt.set(change.env, g);
      for (const [key, e] of this.entries) {
        if ((change.service === null || e.service === change.service) && (change.env === null || e.env === change.env)) {
          this.remove(key);
          dropped++;
        }
      }
    }
    this.report();
    return dropped;
  }

  /** While change notices may be missed (listener lost), serve fills but keep none. */
  setStoring(on: boolean): void {
    this.storing = on;
    if (!on) this.invalidate(null);
  }

  // The Map iterates in insertion order: the oldest entry goes unless read since it was last
  // passed over, in which case it moves to the back with its flag cleared. Never the new entry.
  private evictOne(keep: string): void {
    for (const [key, e] of this.entries) {
      if (key === keep) continue;
      this.entries.delete(key);
      if (e.used) {
        e.used = false;
        this.entries.set(key, e);
        continue;
      }
      this.bytes -= e.body.length;
      return;
    }
    this.remove(keep); // only the new entry is left and it is still too big
  }

  private remove(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.body.length;
  }

  private report(): void {
    metrics.deliveryCacheEntries.set(this.entries.size);
    metrics.deliveryCacheBytes.set(this.bytes);
  }
}
