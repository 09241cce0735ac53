import { NextRequest } from "next/server";
import { beforeAll, expect, it } from "vitest";
import { GET as boardRoute } from "@/app/api/v1/health/route";
import { DELETE as deleteCheckRoute, PUT as updateCheckRoute } from "@/app/api/v1/health/checks/[id]/route";
import { POST as createCheckRoute } from "@/app/api/v1/health/checks/route";
import { environments, services } from "@/drizzle/schema";
import { SYSTEM } from "@/lib/server/context";
import { createToken } from "@/lib/server/tokens/create-token";
import { describeEachDatabase } from "../helpers/db";
import { countRows } from "../helpers/rows";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function call(handler: Handler, method: string, token: string, body?: unknown, params: Record<string, string> = {}) {
  const headers = new Headers({ authorization: `Bearer ${token}` });
  if (body !== undefined) headers.set("content-type", "application/json");
  const res = await handler(new NextRequest("http://localhost/api/v1/health", { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }), { params: Promise.resolve(params) });
  return { status: res.status, type: res.headers.get("content-type") ?? "", json: (await res.json()) as Record<string, unknown> & { errors?: { path: string; message: string }[] } };
}

describeEachDatabase("health API", (db) => {
  let admin = "";
  let viewer = "";
  beforeAll(async () => {
    await db().db.insert(environments).values({ name: "production", position: 0 });
    await db().db.insert(services).values({ name: "api" });
    admin = (await createToken({ principal: SYSTEM, input: { name: "a", role: "admin", scopes: ["admin"] } })).token;
    viewer = (await createToken({ principal: SYSTEM, input: { name: "v", role: "viewer", scopes: ["admin"] } })).token;
  });

  it("refuses a bad URL with 422 naming the field, and a caller without health:manage with 403; nothing changes", async () => {
    const bad = await call(createCheckRoute, "POST", admin, { service: "api", env: "production", check: { name: "h", kind: "http", target: "javascript:alert(1)" } });
    expect(bad.status).toBe(422);
    expect(bad.type).toContain("application/problem+json");
    expect(bad.json.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringContaining("target"), message: expect.stringMatching(/http:\/\/ or https:\/\//) })]));
    const unknown = await call(createCheckRoute, "POST", admin, { service: "api", env: "production", check: { name: "h", kind: "http", target: "http://x/", extra: 1 } });
    expect(unknown.status).toBe(422);
    const forbidden = await call(createCheckRoute, "POST", viewer, { service: "api", env: "production", check: { name: "h", kind: "http", target: "http://api.internal/health" } });
    expect(forbidden.status).toBe(403);
    expect(await countRows(db(), "health_checks")).toBe(0);
  });

  it("creates, updates and deletes a check; the board shows it to a viewer", async () => {
    const created = await call(createCheckRoute, "POST", admin, { service: "api", env: "production", check: { name: "h", kind: "http", target: "http://api.internal/health", intervalSeconds: 15, timeoutMs: 2000 } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ service: "api", environment: "production", status: "unknown", intervalSeconds: 15 });
    const id = created.json.id as string;
    const board = await call(boardRoute, "GET", viewer);
    expect(board.status).toBe(200);
    expect(board.json).toMatchObject({ environments: ["production"], services: [{ service: "api", cells: { production: { status: "unknown", checks: 1, uptime24h: null } } }] });
    const tooSlow = await call(updateCheckRoute, "PUT", admin, { name: "h", kind: "http", target: "http://api.internal/health", intervalSeconds: 5, timeoutMs: 9000 }, { id });
    expect(tooSlow.status).toBe(422);
    expect(tooSlow.json.errors?.[0]?.message).toMatch(/timeout must not be longer than the interval/);
    expect((await call(updateCheckRoute, "PUT", viewer, { name: "h", kind: "tcp", target: "db:5432" }, { id })).status).toBe(403);
    const moved = await call(updateCheckRoute, "PUT", admin, { name: "h", kind: "tcp", target: "db.internal:5432" }, { id });
    expect(moved.json).toMatchObject({ kind: "tcp", target: "db.internal:5432" });
    expect((await call(deleteCheckRoute, "DELETE", viewer, undefined, { id })).status).toBe(403);
    expect((await call(deleteCheckRoute, "DELETE", admin, undefined, { id })).status).toBe(200);
    expect((await call(deleteCheckRoute, "DELETE", admin, undefined, { id })).status).toBe(404);
  });
});
