import { beforeAll, describe, expect, it, vi } from "vitest";
import { can, type Permission, type Principal, type Role } from "@/lib/auth/permissions";
import { ROUTE_EXPECTATIONS, type RouteExpectation } from "@/lib/auth/route-expectations";
import { seedDemo } from "@/lib/db/seed";
import { SYSTEM } from "@/lib/server/context";
import { openChangeRequest } from "@/lib/server/promotions/open-change-request";
import { createToken } from "@/lib/server/tokens/create-token";
import type { CreateTokenInput } from "@/lib/server/tokens/token-schemas";
import {
  callRoute,
  expectNoLeak,
  expectProblem,
  fillPattern,
  loadRouteHandlers,
  routeFiles,
  type Caller,
  type CallInput,
  type RouteHandler,
} from "../helpers/api-calls";
import { databaseSnapshot } from "../helpers/db-snapshot";
import { describeEachDatabase } from "../helpers/db";

// The route inventory (RELIABILITY.md): every handler under app/api, found on disk, called as
// anonymous, as each role, as a token without the scope and as a token limited to another service
// or environment; expected outcomes come from lib/auth/route-expectations.ts and the permission matrix.

// next-auth's session lookup needs Next's request scope; the wrapper's cookie path (cookie present →
// currentUser → principal, Origin check on mutations) is otherwise real.
const session = vi.hoisted(() => ({ principal: null as Principal | null }));
vi.mock("@/lib/auth/session", () => ({
  currentUser: async () =>
    session.principal
      ? { user: { id: session.principal.id, name: session.principal.name, email: null, login: session.principal.id, groups: [] }, principal: session.principal }
      : null,
  requireUser: async () => {
    throw new Error("pages are not under test here");
  },
}));
const setSession = (p: Principal | null) => {
  session.principal = p;
};

const handlers = await loadRouteHandlers();

const SVC = "nexus-backend";
const ENV = "staging";

const user = (role: Role, id: string = `user-${role}`): Caller => ({
  name: `${role} session (${id})`,
  session: { id, kind: "user", name: `Route ${id}`, roles: [{ role, environments: null }] },
});
// A manager is a person in no mapped group: a viewer (lib/auth/role-mapping.ts).
const ROLE_CALLERS: Caller[] = [user("viewer"), user("operator"), user("approver"), user("admin"), user("viewer", "user-manager")];

describe("route inventory", () => {
  it("finds the route files on disk and every exported method of each", () => {
    expect(routeFiles().length).toBeGreaterThan(40);
    expect(handlers.map((h) => h.key)).toContain("PUT /api/v1/services/[svc]/environments/[env]/layer");
  });

  it("has an expectation for every route and method, and no expectation without a route", () => {
    const keys = handlers.map((h) => h.key);
    const missing = keys.filter((k) => !(k in ROUTE_EXPECTATIONS));
    expect(missing, "routes without a row in lib/auth/route-expectations.ts").toEqual([]);
    const stale = Object.keys(ROUTE_EXPECTATIONS).filter((k) => !keys.includes(k));
    expect(stale, "rows in lib/auth/route-expectations.ts without a route").toEqual([]);
  });
});

describeEachDatabase("route permission matrix", (db) => {
  const ids = { changeRequest: "", token: "" };
  const tokens: Record<"full" | "onlyObserved" | "onlyRead" | "otherService" | "otherEnv", string> = {
    full: "",
    onlyObserved: "",
    onlyRead: "",
    otherService: "",
    otherEnv: "",
  };

  beforeAll(async () => {
    await seedDemo(db().db);
    const make = async (input: CreateTokenInput) => createToken({ principal: SYSTEM, input });
    tokens.full = (await make({ name: "matrix-full", role: "admin", scopes: ["admin"] })).token;
    tokens.onlyObserved = (await make({ name: "matrix-observed", role: "admin", scopes: ["observed:write"] })).token;
    tokens.onlyRead = (await make({ name: "matrix-read", role: "admin", scopes: ["config:read", "secrets:read"] })).token;
    tokens.otherService = (await make({ name: "matrix-svc", role: "admin", scopes: ["admin"], services: ["api-gateway"] })).token;
    tokens.otherEnv = (await make({ name: "matrix-env", role: "admin", scopes: ["admin"], environments: ["development"] })).token;
    ids.token = (await make({ name: "matrix-throwaway", role: "viewer", scopes: ["config:read"] })).metadata.id;
    const cr = await openChangeRequest({
      principal: { id: "user-author", kind: "user", name: "Author", roles: [{ role: "operator", environments: null }] },
      input: { kind: "edit", service: SVC, env: ENV, content: "route_matrix: opened\n", format: "yaml", title: "route matrix" },
    });
    ids.changeRequest = cr.id;
  });

  function inputFor(h: RouteHandler, e: RouteExpectation): CallInput {
    const name = h.pattern.includes("/variables/") ? "REGION" : h.pattern.includes("/policies/") ? "staging-log-level" : "db-password";
    const id = h.pattern.startsWith("/api/v1/tokens") ? ids.token : ids.changeRequest;
    const params: Record<string, string> = { svc: SVC, env: ENV, name, id, n: "1", path: "no-such-endpoint", ...e.params };
    const routeParams: Record<string, string | string[]> = { ...params, path: [params.path!] };
    const fill = (v: unknown): unknown =>
      typeof v === "string" ? v.replace("{svc}", SVC).replace("{env}", ENV) : v;
    const body = h.method === "GET" || h.method === "DELETE" ? undefined : Object.fromEntries(Object.entries(e.body ?? {}).map(([k, v]) => [k, fill(v)]));
    return { method: h.method, url: fillPattern(h.pattern, params) + (e.query ? `?${e.query}` : ""), params: routeParams, body };
  }

  const denied = (p: Principal, e: RouteExpectation) =>
    e.access !== "public" && (!can(p, e.access) || (e.use !== undefined && !can(p, e.use)));

  it.each(handlers.map((h) => [h.key, h] as const))("%s", async (key, h) => {
    const e = ROUTE_EXPECTATIONS[key];
    expect(e, `no row for ${key} in lib/auth/route-expectations.ts`).toBeDefined();
    if (!e || e.notCalled) {
      expect(e?.notCalled?.length ?? 0).toBeGreaterThan(10);
      return;
    }
    const input = inputFor(h, e);
    const call = (caller: Caller | null) => callRoute(h.handler, input, caller, setSession);
    const before = await databaseSnapshot(db());

    // Refusals first: none of them may change anything.
    const anon = await call(null);
    if (e.access === "public") {
      expect(anon.status, `${key} anonymous: ${anon.text.slice(0, 200)}`).toBeLessThan(500);
      expect([401, 403]).not.toContain(anon.status);
    } else {
      expectProblem(anon, 401, `${key} anonymous`);
      expectNoLeak(anon, `${key} anonymous`);
    }
    if (e.access === "public") return;

    for (const caller of ROLE_CALLERS) {
      if (!denied(caller.session!, e)) continue;
      const res = await call(caller);
      expectProblem(res, 403, `${key} as ${caller.name}`);
      expectNoLeak(res, `${key} as ${caller.name}`);
    }
    // A token whose scopes leave out what the route needs (its role, admin, would allow it).
    const needs: Permission[] = [e.access, ...(e.use ? [e.use] : [])];
    const readsOnly = needs.every((p) => p === "config:read" || p === "secrets:read");
    const scopeless = await call({ name: "token without the scope", token: readsOnly ? tokens.onlyObserved : tokens.onlyRead });
    expectProblem(scopeless, 403, `${key} as a token without the scope`);
    expectNoLeak(scopeless, `${key} as a token without the scope`);
    if (e.target?.includes("service")) {
      const res = await call({ name: "token of another service", token: tokens.otherService });
      expectProblem(res, 403, `${key} as a token limited to another service`);
      expectNoLeak(res, `${key} as a token limited to another service`);
    }
    if (e.target?.includes("environment")) {
      const res = await call({ name: "token of another environment", token: tokens.otherEnv });
      expectProblem(res, 403, `${key} as a token limited to another environment`);
      expectNoLeak(res, `${key} as a token limited to another environment`);
    }
    // CSRF: a permitted session's mutation from another origin is refused, on every route.
    if (h.method !== "GET") {
      const admin = ROLE_CALLERS.find((c) => !denied(c.session!, e))!;
      const res = await callRoute(h.handler, { ...input, headers: { origin: "https://evil.example" } }, admin, setSession);
      expectProblem(res, 403, `${key} from a foreign Origin`);
      expect(String(res.json?.detail)).toMatch(/may not change anything here/);
    }
    expect(await databaseSnapshot(db()), `${key}: a refused request changed the database`).toEqual(before);

    // Then every permitted caller: never 401, never a 5xx, and 403 only for a declared business rule.
    const permitted = [...ROLE_CALLERS.filter((c) => !denied(c.session!, e)), { name: "admin token", token: tokens.full }];
    for (const caller of permitted) {
      const res = await call(caller);
      const where = `${key} as ${caller.name}: ${res.status} ${res.text.slice(0, 300)}`;
      expect(res.status, where).not.toBe(401);
      expect(res.status, where).toBeLessThan(500);
      if (res.status === 403) {
        expect(e.businessRefusal, `${where} (a permitted caller was refused)`).toBeDefined();
        expect(String(res.json?.detail), where).toMatch(e.businessRefusal!);
        expect(String(res.json?.detail), where).not.toMatch(/You do not have the/);
      }
      if (res.status >= 400) expectProblem(res, res.status, where);
    }
  });
});
