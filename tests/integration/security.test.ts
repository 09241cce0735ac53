import { NUL_MESSAGE } from "@/lib/domain/parse-config-source";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { PUT as putShared } from "@/app/api/v1/shared/route";
import { GET as listServices, POST as createService } from "@/app/api/v1/services/route";
import type { Principal } from "@/lib/auth/permissions";
import { seedDemo } from "@/lib/db/seed";
import { SYSTEM } from "@/lib/server/context";
import { resetRateLimiter } from "@/lib/server/rate-limit";
import { createToken } from "@/lib/server/tokens/create-token";
import { callRoute, expectProblem, type Caller, type CallInput } from "../helpers/api-calls";
import { databaseSnapshot } from "../helpers/db-snapshot";
import { describeEachDatabase } from "../helpers/db";

// CSRF and rate limits of the route wrapper (lib/api/route.ts), the one place both live.

const session = vi.hoisted(() => ({ principal: null as Principal | null }));
vi.mock("@/lib/auth/session", () => ({
  currentUser: async () =>
    session.principal ? { user: { id: session.principal.id, name: "x", email: null, login: "x", groups: [] }, principal: session.principal } : null,
  requireUser: async () => {
    throw new Error("not under test");
  },
}));
const setSession = (p: Principal | null) => {
  session.principal = p;
};

const operator: Caller = {
  name: "operator session",
  session: { id: "user-operator", kind: "user", name: "Olivia", roles: [{ role: "operator", environments: null }] },
};

describeEachDatabase("security of the route wrapper", (db) => {
  let token = "";
  beforeAll(async () => {
    await seedDemo(db().db);
    token = (await createToken({ principal: SYSTEM, input: { name: "sec-admin", role: "admin", scopes: ["admin"] } })).token;
  });
  afterEach(() => {
    resetRateLimiter({}); // back to no limits for the next test
  });

  const save = (headers: Record<string, string> = {}, message = "security test"): CallInput => ({
    method: "PUT",
    url: "/api/v1/shared",
    params: {},
    body: { content: "csrf: probe\n", format: "yaml", message, baseRevision: null },
    headers,
  });

  describe("CSRF: Origin of cookie-authenticated mutations", () => {
    it.each([
      ["a foreign Origin", { origin: "https://evil.example" }, /Requests from https:\/\/evil\.example may not change anything here/],
      ["the same host on another scheme", { origin: "https://localhost" }, /may not change anything here/],
      ["the literal null Origin", { origin: "null" }, /may not change anything here/],
    ])("refuses a session save with %s: 403 problem+json, nothing changed", async (_n, headers, detail) => {
      const before = await databaseSnapshot(db());
      const res = await callRoute(putShared, save(headers), operator, setSession);
      expectProblem(res, 403, "csrf");
      expect(res.json!.detail).toMatch(detail);
      expect(await databaseSnapshot(db())).toEqual(before);
    });

    it("refuses a session save without any Origin", async () => {
      const before = await databaseSnapshot(db());
      // callRoute adds this console's Origin to session calls unless one is given: give an empty one.
      const res = await callRoute(putShared, save({ origin: "" }), operator, setSession);
      expectProblem(res, 403, "no origin");
      expect(res.json!.detail).toBe("A cookie-authenticated change must carry an Origin header.");
      expect(await databaseSnapshot(db())).toEqual(before);
    });

    it("accepts the console's own Origin, and leaves bearer-token calls alone whatever their Origin", async () => {
      const own = await callRoute(putShared, save({ origin: "http://localhost" }), operator, setSession);
      expect([200, 409]).toContain(own.status);
      const bearer = await callRoute(putShared, save({ origin: "https://evil.example" }), { name: "token", token }, setSession);
      expect(bearer.status, bearer.text).not.toBe(403);
      expect([200, 409]).toContain(bearer.status);
    });

    it("lets reads through with a foreign Origin (nothing to forge)", async () => {
      const res = await callRoute(listServices, { method: "GET", url: "/api/v1/services", params: {}, headers: { origin: "https://evil.example" } }, operator, setSession);
      expect(res.status).toBe(200);
    });
  });

  describe("text the database cannot store", () => {
    it("refuses a JSON body holding U+0000 with a 422 naming the field, before any use case runs", async () => {
      const before = await databaseSnapshot(db());
      const body = { name: "nul-probe", description: "before\u0000after" };
      const res = await callRoute(createService, { method: "POST", url: "/api/v1/services", params: {}, body }, { name: "token", token }, setSession);
      expectProblem(res, 422, "nul");
      expect(res.json!.errors).toEqual([{ path: "body.description", message: NUL_MESSAGE }]);
      expect(await databaseSnapshot(db())).toEqual(before);
    });
  });

  it("refuses U+0000 in a query value or a path parameter with a 400", async () => {
    const q = await callRoute(listServices, { method: "GET", url: "/api/v1/services?q=a%00b", params: {} }, { name: "token", token }, setSession);
    expectProblem(q, 400, "nul query");
    expect(q.json!.detail).toMatch(/NUL character/);
    const p = await callRoute(putShared, { ...save(), params: { svc: "a\u0000b" } }, { name: "token", token }, setSession);
    expectProblem(p, 400, "nul param");
  });

  describe("rate limits", () => {
    it("answers 429 problem+json with Retry-After once a token's write burst is spent, before reading the body", async () => {
      resetRateLimiter({ write: { perSecond: 0.5, burst: 2 } });
      const first = await callRoute(putShared, save(), { name: "token", token }, setSession);
      const second = await callRoute(putShared, save(), { name: "token", token }, setSession);
      expect(first.status).not.toBe(429);
      expect(second.status).not.toBe(429);
      const before = await databaseSnapshot(db());
      const third = await callRoute(putShared, { ...save(), body: undefined, rawBody: "{not json" }, { name: "token", token }, setSession);
      expectProblem(third, 429, "third write");
      expect(third.headers.get("retry-after")).toBe("2");
      expect(third.json!.detail).toBe("Too many requests; retry in 2 s.");
      expect(await databaseSnapshot(db())).toEqual(before);
      // Reads have their own bucket.
      const read = await callRoute(listServices, { method: "GET", url: "/api/v1/services", params: {} }, { name: "token", token }, setSession);
      expect(read.status).toBe(200);
    });

    it("limits each principal on its own", async () => {
      resetRateLimiter({ read: { perSecond: 1, burst: 1 } });
      const list: CallInput = { method: "GET", url: "/api/v1/services", params: {} };
      expect((await callRoute(listServices, list, { name: "token", token }, setSession)).status).toBe(200);
      expectProblem(await callRoute(listServices, list, { name: "token", token }, setSession), 429, "token again");
      expect((await callRoute(listServices, list, operator, setSession)).status).toBe(200);
    });

    it("stops token guessing per client IP: after the failure burst even a valid token from that IP waits", async () => {
      resetRateLimiter({ auth_failure: { perSecond: 0.1, burst: 3 } });
      const from = (ip: string): CallInput => ({ method: "GET", url: "/api/v1/services", params: {}, headers: { "x-forwarded-for": ip } });
      const guess = { name: "guess", token: "nxs_abcdefgh_0123456789012345678901234567890123456789abc" };
      for (let i = 0; i < 3; i++) expectProblem(await callRoute(listServices, from("10.0.0.9"), guess, setSession), 401, `guess ${i}`);
      const blocked = await callRoute(listServices, from("10.0.0.9"), { name: "token", token }, setSession);
      expectProblem(blocked, 429, "valid token from a guessing IP");
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect((await callRoute(listServices, from("10.0.0.10"), { name: "token", token }, setSession)).status).toBe(200);
    });
  });
});
