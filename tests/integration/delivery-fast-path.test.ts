import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "@/lib/db/seed";
import { SYSTEM } from "@/lib/server/context";
import { getResolvedConfig, OUTPUT_FORMATS } from "@/lib/server/configs/get-resolved-config";
import { notifyTokensChanged } from "@/lib/server/events/notify";
import { authenticateToken } from "@/lib/server/tokens/authenticate-token";
import { createToken } from "@/lib/server/tokens/create-token";
import { revokeToken } from "@/lib/server/tokens/revoke-token";
import type { CreateTokenInput } from "@/lib/server/tokens/token-schemas";
import { describeEachDatabase } from "../helpers/db";
import { cacheLookups, configPath, FELL_THROUGH, startFastPathServer } from "../helpers/fast-path";
import { query } from "../helpers/rows";

type FastPath = Awaited<ReturnType<typeof startFastPathServer>>;
type Answer = Awaited<ReturnType<FastPath["get"]>>;

const make = async (input: CreateTokenInput) => createToken({ principal: SYSTEM, input });

function expectProblem(res: Answer, status: number, detail: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.json).toMatchObject({ type: "about:blank", status, requestId: "test-request" });
  expect(res.json!.title).toEqual(expect.any(String));
  expect(res.json!.detail).toMatch(detail);
}

describeEachDatabase("delivery fast path", (db) => {
  let fp: FastPath;
  let admin = "";
  let reader = "";

  beforeAll(async () => {
    await seedDemo(db().db);
    fp = await startFastPathServer(db());
    admin = (await make({ name: "fp-admin", role: "admin", scopes: ["admin"] })).token;
    reader = (
      await make({ name: "fp-reader", role: "viewer", scopes: ["config:read"], services: ["nexus-backend"], environments: ["development"] })
    ).token;
  });
  afterAll(async () => fp?.close());

  describe("answers", () => {
    it("serves the use case's body, ETag and type in every format, from memory on the next read", async () => {
      const principal = await authenticateToken(reader);
      for (const format of OUTPUT_FORMATS) {
        const expected = await getResolvedConfig({ principal, input: { service: "nexus-backend", env: "development", format } });
        const misses = await cacheLookups("miss");
        const first = await fp.get(configPath("nexus-backend", "development", `?format=${format}`), reader);
        expect(first.status).toBe(200);
        expect(first.text).toBe(expected.body);
        expect(first.headers.get("etag")).toBe(expected.etag);
        expect(first.headers.get("content-type")).toBe(expected.contentType);
        expect(first.headers.get("cache-control")).toBe("private, no-cache");
        expect(first.headers.get("x-request-id")).toBe("test-request");
        expect(await cacheLookups("miss")).toBe(misses + 1);

        const hits = await cacheLookups("hit");
        const second = await fp.get(configPath("nexus-backend", "development", `?format=${format}`), reader);
        expect([second.status, second.text, second.headers.get("etag")]).toEqual([200, expected.body, expected.etag]);
        expect(await cacheLookups("hit")).toBe(hits + 1);
      }
    });

    it("reveals secrets only to a caller with secrets:read, from separate cache entries", async () => {
      const masked = await fp.get(configPath("nexus-backend", "development"), reader);
      const revealed = await fp.get(configPath("nexus-backend", "development"), admin);
      const expected = await getResolvedConfig({ principal: await authenticateToken(admin), input: { service: "nexus-backend", env: "development" } });
      expect(masked.text).toContain("(secret db-password)");
      expect(revealed.text).not.toContain("(secret db-password)");
      expect(revealed.text).toBe(expected.body);
      expect(revealed.headers.get("etag")).not.toBe(masked.headers.get("etag"));
    });

    it("records each first delivery of secret values to a token on the audit trail, names and ETag only", async () => {
      const path = configPath("nexus-backend", "staging");
      const delivered = async () =>
        query<{ actor_id: string; target_id: string; environment: string; after: { etag: string; secrets: string[] }; request_id: string }>(
          db(),
          "select actor_id, target_id, environment, after, request_id from audit_events where action = 'secrets.delivered' and target_id = 'nexus-backend/staging' order by seq",
        );
      const before = (await delivered()).length;
      const first = await fp.get(path, admin);
      expect(first.status).toBe(200);
      const events = await delivered();
      expect(events).toHaveLength(before + 1);
      const e = events.at(-1)!;
      const principal = await authenticateToken(admin);
      expect(e).toMatchObject({ actor_id: principal.id, environment: "staging", after: { etag: first.headers.get("etag"), secrets: ["db-password"] } });
      expect(e.request_id).toBe(first.headers.get("x-request-id"));
      const resolved = await getResolvedConfig({ principal, input: { service: "nexus-backend", env: "staging" } });
      const values = resolved.secretPaths.map((p) => p.split("/").slice(1).reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], resolved.value));
      expect(values.length).toBeGreaterThan(0);
      for (const v of values) {
        expect(typeof v === "string" && v.length > 3 && first.text.includes(v)).toBe(true);
        expect(JSON.stringify(e)).not.toContain(v);
      }

      // The same content again, a 304, and a masked read: nothing more to record.
      expect((await fp.get(path, admin)).status).toBe(200);
      expect((await fp.get(path, admin, { "if-none-match": first.headers.get("etag")! })).status).toBe(304);
      const masked = (await make({ name: "fp-staging-reader", role: "viewer", scopes: ["config:read"] })).token;
      expect((await fp.get(path, masked)).status).toBe(200);
      expect(await delivered()).toHaveLength(before + 1);

      // Another token with secrets:read is another delivery.
      const other = (await make({ name: "fp-secrets-reader", role: "admin", scopes: ["config:read", "secrets:read"] })).token;
      expect((await fp.get(path, other)).status).toBe(200);
      expect(await delivered()).toHaveLength(before + 2);
    });

    it("answers 304 without a body when If-None-Match holds the ETag, 200 otherwise", async () => {
      const path = configPath("nexus-backend", "development");
      const { headers } = await fp.get(path, reader);
      const etag = headers.get("etag")!;
      for (const inm of [etag, `"other", ${etag}`, "*"]) {
        const res = await fp.get(path, reader, { "if-none-match": inm });
        expect([res.status, res.text, res.headers.get("etag")]).toEqual([304, "", etag]);
      }
      const stale = await fp.get(path, reader, { "if-none-match": '"not-the-etag"' });
      expect(stale.status).toBe(200);
    });

    it("leaves past configs, console sessions and everything else to Next", async () => {
      const path = configPath("nexus-backend", "development");
      expect((await fp.get(`${path}?at=2024-01-01T00:00:00Z`, reader)).status).toBe(FELL_THROUGH);
      expect((await fp.get(`${path}?format=yaml&revision=00000000-0000-4000-8000-000000000000`, reader)).status).toBe(FELL_THROUGH);
      expect((await fp.get(path)).status).toBe(FELL_THROUGH); // cookie or nothing: the route decides
      expect((await fp.get(path, undefined, { authorization: "Basic Zm9vOmJhcg==" })).status).toBe(FELL_THROUGH);
      expect((await fp.get(path, reader, {}, "HEAD")).status).toBe(FELL_THROUGH);
      expect((await fp.get(`${path}/`, reader)).status).toBe(FELL_THROUGH);
      expect((await fp.get("/api/v1/services/nexus-backend/layer", reader)).status).toBe(FELL_THROUGH);
      expect((await fp.get(configPath("Nexus_Backend", "development"), reader)).status).toBe(FELL_THROUGH);
    });
  });

  describe("refusals, shaped like the route's", () => {
    it("401 with WWW-Authenticate for unknown and malformed tokens", async () => {
      const unknown = await fp.get(configPath("nexus-backend", "development"), `nxs_abcdefgh_${"x".repeat(43)}`);
      expectProblem(unknown, 401, /not known to Nexus/);
      expect(unknown.headers.get("www-authenticate")).toBe('Bearer realm="nexus"');
      const malformed = await fp.get(configPath("nexus-backend", "development"), "short");
      expectProblem(malformed, 401, /malformed/);
      expect(malformed.headers.get("www-authenticate")).toBe('Bearer realm="nexus"');
    });

    it("refuses a revoked token on the very next request", async () => {
      const { token, metadata } = await make({ name: "fp-revoked", role: "viewer", scopes: ["config:read"] });
      expect((await fp.get(configPath("api-gateway", "staging"), token)).status).toBe(200);
      await revokeToken({ principal: SYSTEM, input: { id: metadata.id } });
      expectProblem(await fp.get(configPath("api-gateway", "staging"), token), 401, new RegExp(`token ${metadata.prefix} was revoked`));
    });

    it("accepts a token created an instant ago and refuses it once expired", async () => {
      const { token, metadata } = await make({ name: "fp-expiring", role: "viewer", scopes: ["config:read"] });
      expect((await fp.get(configPath("api-gateway", "staging"), token)).status).toBe(200);
      await query(db(), `update api_tokens set expires_at = now() - interval '1 minute' where id = '${metadata.id}'`);
      await notifyTokensChanged(db().db);
      expectProblem(await fp.get(configPath("api-gateway", "staging"), token), 401, /expired at/);
    });

    it("403 for a token scoped to another service or environment, and without config:read", async () => {
      expectProblem(
        await fp.get(configPath("api-gateway", "development"), reader),
        403,
        /^You do not have the config:read permission for service api-gateway in environment development\.$/,
      );
      expectProblem(await fp.get(configPath("nexus-backend", "production"), reader), 403, /environment production/);
      const observer = (await make({ name: "fp-observer", role: "operator", scopes: ["observed:write"] })).token;
      expectProblem(await fp.get(configPath("nexus-backend", "development"), observer), 403, /^You do not have the config:read permission\.$/);
    });

    it("404 for a service or environment that does not exist", async () => {
      expectProblem(await fp.get(configPath("no-such-service", "development"), admin), 404, /service no-such-service does not exist/);
      expectProblem(await fp.get(configPath("nexus-backend", "qa"), admin), 404, /environment qa does not exist/);
    });

    it("422 for an unknown format, after authentication as on the route", async () => {
      const res = await fp.get(configPath("nexus-backend", "development", "?format=xml"), reader);
      expectProblem(res, 422, /The query is not valid/);
      expect(res.json!.errors).toEqual([expect.objectContaining({ path: "query.format" })]);
      expectProblem(await fp.get(configPath("nexus-backend", "development", "?format=xml"), "short"), 401, /malformed/);
    });
  });

  it("records when a token was last used, at most once a minute, off the request path", async () => {
    const { token, metadata } = await make({ name: "fp-last-used", role: "viewer", scopes: ["config:read"] });
    const lastUsed = async () =>
      (await query<{ t: string | null }>(db(), `select last_used_at::text as t from api_tokens where id = '${metadata.id}'`))[0]!.t;
    await fp.get(configPath("api-gateway", "staging"), token);
    expect(await lastUsed()).toBeNull(); // not written by the request itself
    await fp.delivery.tokens.flush();
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await fp.get(configPath("api-gateway", "staging"), token);
    await fp.delivery.tokens.flush();
    expect(await lastUsed()).toBe(first);
  });
});
