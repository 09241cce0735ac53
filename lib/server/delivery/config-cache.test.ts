import { describe, expect, it } from "vitest";
import { parseChange } from "./change-feed";
import { cachedConfig, cacheKey, ConfigCache } from "./config-cache";

const entry = (service: string, env: string, body = "{}") =>
  cachedConfig({ service, env, body, contentType: "application/json", etag: `"${service}-${env}"` });

function filled(cache: ConfigCache) {
  for (const s of ["a", "b"]) for (const e of ["dev", "prod"]) cache.set(cacheKey(s, e, "json", false), entry(s, e), cache.generation);
}
const keys = (cache: ConfigCache) =>
  ["a", "b"].flatMap((s) => ["dev", "prod"].map((e) => `${s}/${e}`)).filter((k) => {
    const [s, e] = k.split("/");
    return cache.get(cacheKey(s!, e!, "json", false)) !== undefined;
  });

describe("ConfigCache", () => {
  it("drops what a change reaches: one layer, a service's base, an environment's variables, everything", () => {
    const cache = new ConfigCache();
    filled(cache);
    cache.invalidate({ service: "a", env: "dev" });
    expect(keys(cache)).toEqual(["a/prod", "b/dev", "b/prod"]);
    filled(cache);
    cache.invalidate({ service: "a", env: null });
    expect(keys(cache)).toEqual(["b/dev", "b/prod"]);
    filled(cache);
    cache.invalidate({ service: null, env: "prod" });
    expect(keys(cache)).toEqual(["a/dev", "b/dev"]);
    filled(cache);
    cache.invalidate(null);
    expect(cache.size).toBe(0);
    expect(cache.byteSize).toBe(0);
  });

  it("refuses a fill that started before a change reaching it, and stores none while changes may be missed", () => {
    const cache = new ConfigCache();
    const key = cacheKey("a", "dev", "json", false);
    for (const change of [{ service: "a", env: "dev" }, { service: "a", env: null }, { service: null, env: "dev" }, null]) {
      const started = cache.generation;
      cache.invalidate(change);
      expect(cache.set(key, entry("a", "dev"), started), JSON.stringify(change)).toBe(false);
    }
    // Changes elsewhere do not spoil it: under steady writes to other services it still fills.
    const started = cache.generation;
    cache.invalidate({ service: "x", env: null });
    cache.invalidate({ service: "a", env: "prod" });
    cache.invalidate({ service: null, env: "prod" });
    expect(cache.isCurrent("a", "dev", started)).toBe(true);
    expect(cache.set(key, entry("a", "dev"), started)).toBe(true);
    cache.setStoring(false);
    expect(cache.set(cacheKey("a", "dev", "json", false), entry("a", "dev"), cache.generation)).toBe(false);
    cache.setStoring(true);
    expect(cache.set(cacheKey("a", "dev", "json", false), entry("a", "dev"), cache.generation)).toBe(true);
  });

  it("stays within its byte bound, keeping what was read recently", () => {
    const cache = new ConfigCache({ maxBytes: 3000, maxEntries: 100 });
    const big = (s: string) => entry(s, "dev", "x".repeat(300));
    for (const s of ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9"]) cache.set(cacheKey(s, "dev", "json", false), big(s), cache.generation);
    cache.get(cacheKey("s1", "dev", "json", false));
    for (const s of ["t1", "t2", "t3"]) cache.set(cacheKey(s, "dev", "json", false), big(s), cache.generation);
    expect(cache.byteSize).toBeLessThanOrEqual(3000);
    expect(cache.get(cacheKey("s1", "dev", "json", false))).toBeDefined();
    expect(cache.get(cacheKey("s2", "dev", "json", false))).toBeUndefined();
    expect(cache.get(cacheKey("t3", "dev", "json", false))).toBeDefined();
  });
});

describe("parseChange", () => {
  it("reads the use cases' payloads and treats anything else as a change to everything", () => {
    expect(parseChange(JSON.stringify({ service: "a", env: null }))).toEqual({ service: "a", env: null });
    expect(parseChange(JSON.stringify({ service: null, env: "prod" }))).toEqual({ service: null, env: "prod" });
    expect(parseChange(JSON.stringify({ heartbeat: true }))).toBe("heartbeat");
    expect(parseChange("not json")).toBeNull();
    expect(parseChange(JSON.stringify({ service: 3 }))).toBeNull();
  });
});
