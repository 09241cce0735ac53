import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "@/lib/db/seed";
import { metrics } from "@/lib/metrics";
import { SYSTEM } from "@/lib/server/context";
import { cacheKey } from "@/lib/server/delivery/config-cache";
import { getResolvedConfig } from "@/lib/server/configs/get-resolved-config";
import { setVariable } from "@/lib/server/configs/variables";
import { createToken } from "@/lib/server/tokens/create-token";
import { revokeToken } from "@/lib/server/tokens/revoke-token";
import type { DatabaseHandle } from "@/lib/db/client";
import { describeEachDatabase } from "../helpers/db";
import { configPath, openSecondConnection, saveProbe, startFastPathServer } from "../helpers/fast-path";
import { sleep } from "../helpers/rows";

type FastPath = Awaited<ReturnType<typeof startFastPathServer>>;

const probeOf = (text: string) => (JSON.parse(text) as { probe?: string }).probe;

async function notifyInvalidations(): Promise<number> {
  const m = await metrics.deliveryInvalidations.get();
  return m.values.find((v) => v.labels.source === "notify")?.value ?? 0;
}

/** Reads until `ok` holds (a NOTIFY from another connection arrives a moment after its commit). */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await sleep(20);
  }
}

describeEachDatabase("delivery cache invalidation", (db, kind) => {
  let token = "";
  beforeAll(async () => {
    await seedDemo(db().db);
    token = (await createToken({ principal: SYSTEM, input: { name: "inv-admin", role: "admin", scopes: ["admin"] } })).token;
  });

  describe("in this process, without LISTEN", () => {
    // notify: false leaves only the after-commit path: it alone must keep the cache exact.
    let fp: FastPath;
    beforeAll(async () => {
      fp = await startFastPathServer(db(), { notify: false });
    });
    afterAll(async () => fp?.close());

    it("drops the entry when saveLayer returns, and the next read has the new content", async () => {
      const path = configPath("api-gateway", "development");
      await fp.get(path, token);
      const key = cacheKey("api-gateway", "development", "json", true);
      expect(fp.delivery.cache.get(key)).toBeDefined();
      await saveProbe("api-gateway", "development", "local-1");
      expect(fp.delivery.cache.get(key)).toBeUndefined();
      expect(probeOf((await fp.get(path, token)).text)).toBe("local-1");
    });

    it("never keeps, nor hands to later readers, a body rendered before a save committed", async () => {
      // A fill that has read the database but not finished when the save commits: held open here.
      let release = () => {};
      const held = new Promise<void>((r) => (release = r));
      let holding = true;
      let rendered = false;
      const slow = await startFastPathServer(db(), {
        notify: false,
        resolve: async (args) => {
          const r = await getResolvedConfig(args);
          rendered = true;
          if (holding) await held;
          return r;
        },
      });
      try {
        const path = configPath("grafana", "development");
        const early = slow.get(path, token); // a miss: renders the old content, then waits
        await eventually(async () => rendered, (v) => v, 2_000);
        await saveProbe("grafana", "development", "race-1");
        holding = false;
        // Arrived after the commit: must not join the fill that read the old state.
        expect(probeOf((await slow.get(path, token)).text)).toBe("race-1");
        release();
        expect(probeOf((await early).text)).toBeUndefined(); // it asked before the save
        expect(probeOf((await slow.get(path, token)).text)).toBe("race-1"); // and its body was not kept
      } finally {
        release();
        await slow.close();
      }
    });

    it("drops every service's entries when an environment's variable changes", async () => {
      await fp.get(configPath("redis", "staging"), token);
      await fp.get(configPath("redis", "production"), token);
      await setVariable({ principal: SYSTEM, input: { env: "staging", name: "REGION", value: "us-east-2" } });
      expect(fp.delivery.cache.get(cacheKey("redis", "staging", "json", true))).toBeUndefined();
      expect(fp.delivery.cache.get(cacheKey("redis", "production", "json", true))).toBeDefined();
      expect((await fp.get(configPath("redis", "staging"), token)).text).toContain("us-east-2");
    });
  });

  describe("from another connection, through LISTEN/NOTIFY", () => {
    // local: false: only the database's notification can tell this cache about the change.
    let fp: FastPath;
    let other: DatabaseHandle;
    beforeAll(async () => {
      fp = await startFastPathServer(db(), { local: false });
      // PGlite is one connection per process: a transaction the use case does not own (so no
      // after-commit callback runs) stands in for another instance there.
      other = kind === "postgres" ? await openSecondConnection(db()) : db();
    });
    afterAll(async () => {
      await fp?.close();
      if (other !== db()) await other.close();
    });

    it("serves the new content after a save committed elsewhere", async () => {
      const path = configPath("vault", "staging");
      expect(probeOf((await fp.get(path, token)).text)).toBeUndefined();
      const before = await notifyInvalidations();
      await other.db.transaction((tx) => saveProbe("vault", "staging", "remote-1", tx));
      const after = await eventually(() => fp.get(path, token), (r) => probeOf(r.text) === "remote-1");
      expect(probeOf(after.text)).toBe("remote-1");
      expect(await notifyInvalidations()).toBeGreaterThan(before);
    });

    it("refuses a token revoked elsewhere, and accepts one created elsewhere", async () => {
      const path = configPath("vault", "staging");
      const created = await other.db.transaction((tx) =>
        createToken({ principal: SYSTEM, input: { name: "inv-remote", role: "viewer", scopes: ["config:read"] }, tx }),
      );
      expect((await fp.get(path, created.token)).status).toBe(200);
      await other.db.transaction((tx) => revokeToken({ principal: SYSTEM, input: { id: created.metadata.id }, tx }));
      const refused = await eventually(() => fp.get(path, created.token), (r) => r.status === 401);
      expect(refused.status).toBe(401);
    });
  });

  it("bounds the cache: least recently used entries go first", async () => {
    const fp = await startFastPathServer(db(), { limits: { maxEntries: 2 } });
    try {
      for (const svc of ["elk", "postgres", "elk", "prometheus"]) await fp.get(configPath(svc, "development"), token);
      const has = (svc: string) => fp.delivery.cache.get(cacheKey(svc, "development", "json", true)) !== undefined;
      expect([has("elk"), has("prometheus"), has("postgres")]).toEqual([true, true, false]);
      expect(fp.delivery.cache.size).toBe(2);
    } finally {
      await fp.close();
    }
  });
});
