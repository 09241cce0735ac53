import { createHash } from "node:crypto";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as listAudit } from "@/app/api/v1/audit/route";
import { DELETE as revokeTokenRoute } from "@/app/api/v1/tokens/[id]/route";
import { GET as listTokensRoute, POST as createTokenRoute } from "@/app/api/v1/tokens/route";
import { MAX_BODY_BYTES } from "@/lib/api/route";
import { SYSTEM } from "@/lib/server/context";
import { createToken } from "@/lib/server/tokens/create-token";
import type { CreateTokenInput } from "@/lib/server/tokens/token-schemas";
import { describeEachDatabase } from "../helpers/db";
import { query, snapshot } from "../helpers/rows";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

interface CallOptions {
  token?: string;
  authorization?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
}

async function call(handler: Handler, method: string, path: string, o: CallOptions = {}) {
  const headers = new Headers(o.headers);
  if (o.token) headers.set("authorization", `Bearer ${o.token}`);
  if (o.authorization !== undefined) headers.set("authorization", o.authorization);
  let body: string | undefined = o.rawBody;
  if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const req = new NextRequest(`http://localhost${path}`, { method, headers, body });
  const res = await handler(req, { params: Promise.resolve(o.params ?? {}) });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    headers: res.headers,
    text,
    json: (text ? JSON.parse(text) : null) as Record<string, unknown> & { errors?: { path: string; message: string }[] },
  };
}

type Answer = Awaited<ReturnType<typeof call>>;

function expectProblem(res: Answer, status: number, detail?: RegExp | string) {
  expect(res.status).toBe(status);
  expect(res.type).toBe("application/problem+json");
  expect(res.json).toMatchObject({ type: "about:blank", status });
  expect(typeof res.json.title).toBe("string");
  expect((res.json.title as string).length).toBeGreaterThan(0);
  expect(typeof res.json.detail).toBe("string");
  if (detail) expect(res.json.detail).toMatch(detail);
}

const good: CreateTokenInput = { name: "deployer", role: "operator", scopes: ["config:read"], environments: ["staging"] };

describeEachDatabase("API routes with bearer tokens", (db) => {
  let admin = "";
  let viewer = "";
  let narrowAdmin = "";

  beforeAll(async () => {
    const make = async (input: CreateTokenInput) => (await createToken({ principal: SYSTEM, input })).token;
    admin = await make({ name: "route-admin", role: "admin", scopes: ["admin"] });
    viewer = await make({ name: "route-viewer", role: "viewer", scopes: ["admin"] });
    narrowAdmin = await make({ name: "route-narrow", role: "admin", scopes: ["config:read"] });
  });

  describe("authentication", () => {
    it("answers 401 problem+json without Authorization and without a session", async () => {
      const res = await call(listAudit, "GET", "/api/v1/audit");
      expectProblem(res, 401, /Sign in to the console, or send `Authorization: Bearer <token>`/);
    });

    it.each([
      ["a non-Bearer scheme", "Basic YWRtaW46YWRtaW4=", /must be `Bearer <token>`/],
      ["Bearer without a value", "Bearer", /must be `Bearer <token>`/],
      ["a value no token could be", "Bearer short", /malformed/],
      ["an unknown token", "Bearer nxs_abcdefgh_0123456789012345678901234567890123456789abc", /not known to Nexus/],
    ])("answers 401 problem+json for %s", async (_name, authorization, detail) => {
      const res = await call(listAudit, "GET", "/api/v1/audit", { authorization });
      expectProblem(res, 401, detail);
      expect(res.json.title).toBe("Authentication required");
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="nexus"');
    });

    it("answers 401 for a mutation with a bad token and writes nothing", async () => {
      const before = await snapshot(db());
      const res = await call(createTokenRoute, "POST", "/api/v1/tokens", { authorization: "Bearer ???", body: good });
      expectProblem(res, 401);
      expect(await snapshot(db())).toEqual(before);
    });
  });

  describe("POST /api/v1/tokens", () => {
    it("answers 403 problem+json to a viewer token, leaking no token data and writing nothing", async () => {
      const before = await snapshot(db());
      const res = await call(createTokenRoute, "POST", "/api/v1/tokens", { token: viewer, body: good });
      expectProblem(res, 403, "You do not have the tokens:manage permission.");
      expect(res.json.title).toBe("Forbidden");
      expect(Object.keys(res.json).sort()).toEqual(["detail", "permission", "requestId", "status", "title", "type"]);
      expect(res.text).not.toContain(viewer);
      expect(res.text).not.toContain(sha256(viewer));
      expect(res.text).not.toMatch(/nxs_|secret|hash/i);
      expect(await snapshot(db())).toEqual(before);
    });

    it("checks the permission before the body: a viewer learns nothing about the schema", async () => {
      const res = await call(createTokenRoute, "POST", "/api/v1/tokens", { token: viewer, body: { nonsense: true } });
      expectProblem(res, 403);
      expect(res.json.errors).toBeUndefined();
    });

    it("answers 403 to an admin token whose scopes leave out admin", async () => {
      const res = await call(createTokenRoute, "POST", "/api/v1/tokens", { token: narrowAdmin, body: good });
      expectProblem(res, 403, /tokens:manage/);
    });

    it("answers 422 with the path of every invalid field, writing nothing", async () => {
      const before = await snapshot(db());
      const res = await call(createTokenRoute, "POST", "/api/v1/tokens", {
        token: admin,
        body: { name: "", role: "root", scopes: [], environments: ["Prod!"], expiresInDays: 0, extra: 1 },
      });
      expectProblem(res, 422, "The body is not valid.");
      const paths = res.json.errors!.map((e) => e.path);
      expect(paths).toEqual(
        expect.arrayContaining(["body.name", "body.role", "body.scopes", "body.environments.0", "body.expiresInDays"]),
      );
      for (const e of res.json.errors!) expect(e.message.length).toBeGreaterThan(0);
      expect(res.json.errors!.find((e) => e.path === "body.name")!.message).toBe("give the token a name");
      expect(await snapshot(db())).toEqual(before);
    });

    it("answers 422 for a body that is not an object", async () => {
      const res = await call(createTokenRoute, "POST", "/api/v1/tokens", { token: admin, body: [good] });
      expectProblem(res, 422);
      expect(res.json.errors!.map((e) => e.path)).toEqual(["body"]);
    });

    it.each([
      ["text/plain", "text/plain"],
      ["form data", "application/x-www-form-urlencoded"],
      ["no content type", undefined],
    ])("answers 415 for %s", async (_name, type) => {
      const before = await snapshot(db());
      const res = await call(createTokenRoute, "POST", "/api/v1/tokens", {
        token: admin,
        rawBody: JSON.stringify(good),
        headers: type ? { "content-type": type } : {},
      });
      expectProblem(res, 415, /Content-Type: application\/json/);
      expect(await snapshot(db())).toEqual(before);
    });

    it("answers 400 for JSON that does not parse", async () => {
      const res = await call(createTokenRoute, "POST", "/api/v1/tokens", {
        token: admin,
        rawBody: '{"name": ',
        headers: { "content-type": "application/json" },
      });
      expectProblem(res, 400, /The body is not valid JSON/);
    });

    const oversized = JSON.stringify({ ...good, name: "x".repeat(MAX_BODY_BYTES) });

    it("answers 413 for a body over 1 MiB, declared by Content-Length", async () => {
      expect(MAX_BODY_BYTES).toBe(1024 * 1024);
      const before = await snapshot(db());
      const res = await call(createTokenRoute, "POST", "/api/v1/tokens", {
        token: admin,
        rawBody: oversized,
        headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(oversized)) },
      });
      expectProblem(res, 413, "The body is larger than 1 MiB.");
      expect(await snapshot(db())).toEqual(before);
    });

    it("answers 413 for a body over 1 MiB sent without Content-Length", async () => {
      const res = await call(createTokenRoute, "POST", "/api/v1/tokens", {
        token: admin,
        rawBody: oversized,
        headers: { "content-type": "application/json" },
      });
      expectProblem(res, 413);
    });

    it("accepts a body of exactly 1 MiB as far as size goes", async () => {
      const padding = MAX_BODY_BYTES - Buffer.byteLength(JSON.stringify({ ...good, name: "" }));
      const exact = JSON.stringify({ ...good, name: "y".repeat(padding) });
      expect(Buffer.byteLength(exact)).toBe(MAX_BODY_BYTES);
      const res = await call(createTokenRoute, "POST", "/api/v1/tokens", {
        token: admin,
        rawBody: exact,
        headers: { "content-type": "application/json" },
      });
      // Not 413: the size is allowed; the name is then too long for the schema.
      expectProblem(res, 422);
      expect(res.json.errors!.map((e) => e.path)).toEqual(["body.name"]);
    });

    it("answers 201 with the secret once and metadata without the hash, and audits the request", async () => {
      const before = await snapshot(db());
      const res = await call(createTokenRoute, "POST", "/api/v1/tokens", {
        token: admin,
        body: good,
        headers: { "x-request-id": "req-create-1", "x-forwarded-for": "198.51.100.7, 10.0.0.1", "user-agent": "ci/1.0" },
      });
      expect(res.status).toBe(201);
      expect(res.type).toMatch(/^application\/json/);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("x-request-id")).toBe("req-create-1");
      const { token, metadata } = res.json as unknown as { token: string; metadata: Record<string, unknown> };
      expect(Object.keys(res.json).sort()).toEqual(["metadata", "token"]);
      expect(token).toMatch(/^nxs_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
      expect(metadata).toMatchObject({
        name: "deployer",
        role: "operator",
        scopes: ["config:read"],
        environments: ["staging"],
        status: "active",
        createdBy: "token route-admin (" + admin.slice(4, 12) + ")",
      });
      expect(Object.keys(metadata)).not.toContain("secretHash");
      expect(JSON.stringify(metadata)).not.toContain(sha256(token));
      expect(res.text.split(token).length - 1).toBe(1); // the secret appears exactly once

      expect(await snapshot(db())).toEqual({ ...before, tokens: before.tokens + 1, audit: before.audit + 1 });
      const [event] = await query<Record<string, unknown>>(db(), "select * from audit_events order by seq desc limit 1");
      expect(event).toMatchObject({
        action: "token.created",
        target_id: metadata.id,
        request_id: "req-create-1",
        ip: "198.51.100.7",
        user_agent: "ci/1.0",
        actor_kind: "token",
      });

      // The new token works, within what its role and scope allow.
      const list = await call(listAudit, "GET", "/api/v1/audit", { token });
      expectProblem(list, 403, /audit:read/);

      // The list shows it again, without the secret.
      const listed = await call(listTokensRoute, "GET", "/api/v1/tokens", { token: admin });
      expect(listed.status).toBe(200);
      expect((listed.json.items as { id: string }[]).map((t) => t.id)).toContain(metadata.id);
      expect(listed.text).not.toContain(token);
      expect(listed.text).not.toContain(sha256(token));
      expect(listed.text).not.toMatch(/secretHash|secret_hash/);
    });
  });

  describe("GET /api/v1/tokens", () => {
    it("answers 403 to a viewer token", async () => {
      expectProblem(await call(listTokensRoute, "GET", "/api/v1/tokens", { token: viewer }), 403);
    });
  });

  describe("DELETE /api/v1/tokens/{id}", () => {
    it("revokes a token, which then gets 401; a second revoke is 409", async () => {
      const created = await call(createTokenRoute, "POST", "/api/v1/tokens", {
        token: admin,
        body: { name: "short-lived", role: "viewer", scopes: ["admin"] },
      });
      const { token, metadata } = created.json as unknown as { token: string; metadata: { id: string; prefix: string } };
      expect((await call(listAudit, "GET", "/api/v1/audit", { token })).status).toBe(200);

      const before = await snapshot(db());
      const res = await call(revokeTokenRoute, "DELETE", `/api/v1/tokens/${metadata.id}`, {
        token: admin,
        params: { id: metadata.id },
      });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ id: metadata.id, status: "revoked" });
      expect(await snapshot(db())).toEqual({ ...before, revoked: before.revoked + 1, audit: before.audit + 1 });

      const refused = await call(listAudit, "GET", "/api/v1/audit", { token });
      expectProblem(refused, 401, `The token ${metadata.prefix} was revoked.`);

      const again = await call(revokeTokenRoute, "DELETE", `/api/v1/tokens/${metadata.id}`, {
        token: admin,
        params: { id: metadata.id },
      });
      expectProblem(again, 409, /already revoked/);
      expect(await snapshot(db())).toEqual({ ...before, revoked: before.revoked + 1, audit: before.audit + 1 });
    });

    it("answers 404 for an unknown id and 422 for an id that is not a UUID", async () => {
      const unknownId = "00000000-0000-4000-8000-000000000001";
      expectProblem(
        await call(revokeTokenRoute, "DELETE", `/api/v1/tokens/${unknownId}`, { token: admin, params: { id: unknownId } }),
        404,
        /does not exist/,
      );
      const bad = await call(revokeTokenRoute, "DELETE", "/api/v1/tokens/x", { token: admin, params: { id: "x" } });
      expectProblem(bad, 422);
      expect(bad.json.errors).toEqual([{ path: "id", message: "token ids are UUIDs" }]);
    });

    it("answers 403 to a viewer token and leaves the token active", async () => {
      const { metadata } = await createToken({ principal: SYSTEM, input: { name: "target", role: "viewer", scopes: ["admin"] } });
      const before = await snapshot(db());
      const res = await call(revokeTokenRoute, "DELETE", `/api/v1/tokens/${metadata.id}`, {
        token: viewer,
        params: { id: metadata.id },
      });
      expectProblem(res, 403, /tokens:manage/);
      expect(await snapshot(db())).toEqual(before);
    });
  });

  describe("GET /api/v1/audit", () => {
    it("lists events for a viewer token, with filters and a cursor", async () => {
      const res = await call(listAudit, "GET", "/api/v1/audit?action=token.created&limit=2", { token: viewer });
      expect(res.status).toBe(200);
      const items = res.json.items as { seq: number; action: string }[];
      expect(items).toHaveLength(2);
      expect(items.every((e) => e.action === "token.created")).toBe(true);
      expect(typeof res.json.nextCursor).toBe("string");

      const total = (await query<{ n: number }>(db(), "select count(*)::int as n from audit_events where action = 'token.created'"))[0]!.n;
      const seen: number[] = items.map((e) => e.seq);
      let cursor = res.json.nextCursor as string | null;
      while (cursor) {
        const page = await call(listAudit, "GET", `/api/v1/audit?action=token.created&limit=2&cursor=${cursor}`, { token: viewer });
        expect(page.status).toBe(200);
        seen.push(...(page.json.items as { seq: number }[]).map((e) => e.seq));
        cursor = page.json.nextCursor as string | null;
      }
      expect(seen).toHaveLength(Number(total));
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    });

    it("answers 422 with query paths for an invalid query", async () => {
      const res = await call(listAudit, "GET", "/api/v1/audit?limit=0&cursor=abc&from=yesterday", { token: viewer });
      expectProblem(res, 422, "The query is not valid.");
      expect(res.json.errors!.map((e) => e.path).sort()).toEqual(["query.cursor", "query.from", "query.limit"]);
    });

    it("answers 422 when from is after to", async () => {
      const res = await call(listAudit, "GET", "/api/v1/audit?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z", { token: viewer });
      expectProblem(res, 422, "`from` must not be after `to`");
    });

    it("answers 403 to a token whose scopes leave out audit:read", async () => {
      expectProblem(await call(listAudit, "GET", "/api/v1/audit", { token: narrowAdmin }), 403, /audit:read/);
    });
  });
});
