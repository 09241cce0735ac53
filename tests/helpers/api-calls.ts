import { readdirSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { expect } from "vitest";
import type { Principal } from "@/lib/auth/permissions";

// Shared by the route inventory (route-matrix.test.ts) and the fuzz tests (fuzz-routes.test.ts):
// every route handler under app/api, found on disk, and a way to call it like Next does.

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof HTTP_METHODS)[number];

export type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export interface RouteHandler {
  /** "POST /api/v1/change-requests/[id]/approve": the key of ROUTE_EXPECTATIONS. */
  key: string;
  method: Method;
  /** The route's path pattern, e.g. /api/v1/services/[svc]/base. */
  pattern: string;
  file: string;
  handler: Handler;
}

const APP_API = path.resolve(import.meta.dirname, "../../app/api");

/** Every app/api/** /route.ts, straight from the file system. */
export function routeFiles(): { pattern: string; file: string }[] {
  const entries = readdirSync(APP_API, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name === "route.ts")
    .map((e) => {
      const file = path.join(e.parentPath, e.name);
      const rel = path.relative(APP_API, e.parentPath).split(path.sep).filter(Boolean);
      return { pattern: "/" + ["api", ...rel].join("/"), file };
    })
    .sort((a, b) => a.pattern.localeCompare(b.pattern));
}

/** Imports every route file and lists each exported HTTP method. */
export async function loadRouteHandlers(): Promise<RouteHandler[]> {
  const out: RouteHandler[] = [];
  for (const { pattern, file } of routeFiles()) {
    const mod = (await import(file)) as Record<string, unknown>;
    for (const method of HTTP_METHODS) {
      const handler = mod[method];
      if (typeof handler === "function") out.push({ key: `${method} ${pattern}`, method, pattern, file, handler: handler as Handler });
    }
  }
  return out;
}

/** Fills a path pattern: `[svc]` → params.svc, `[...path]` → params.path joined by "/". */
export function fillPattern(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/\[(?:\.\.\.)?(\w+)\]/g, (_, name: string) => encodeURIComponent(params[name] ?? name));
}

export const SESSION_COOKIE = "next-auth.session-token";

export interface Caller {
  name: string;
  /** A bearer token value, or a session principal (the cookie path of the route wrapper). */
  token?: string;
  session?: Principal;
}

export interface CallInput {
  method: string;
  url: string;
  params: Record<string, string | string[]>;
  body?: unknown;
  rawBody?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  type: string;
  headers: Headers;
  text: string;
  json: Record<string, unknown> | null;
}

/**
 * Calls a handler as Next would, as `caller`. A session call carries the session cookie and this
 * origin's Origin header (what a browser sends); `setSession` installs the principal the mocked
 * next-auth session lookup returns. Streams (SSE) are not read to their end.
 */
export async function callRoute(
  handler: Handler,
  input: CallInput,
  caller: Caller | null,
  setSession: (p: Principal | null) => void,
): Promise<Answer> {
  const headers = new Headers(input.headers);
  if (!headers.has("host")) headers.set("host", "localhost");
  if (caller?.token) headers.set("authorization", `Bearer ${caller.token}`);
  if (caller?.session) {
    headers.set("cookie", `${SESSION_COOKIE}=route-matrix`);
    if (!headers.has("origin")) headers.set("origin", "http://localhost");
  }
  let body: string | undefined = input.rawBody;
  if (input.body !== undefined) body = JSON.stringify(input.body);
  if (body !== undefined && !headers.has("content-type")) headers.set("content-type", input.contentType ?? "application/json");
  const method = input.method;
  const req = new NextRequest(`http://localhost${input.url}`, { method, headers, body: method === "GET" ? undefined : body });
  setSession(caller?.session ?? null);
  const res = await handler(req, { params: Promise.resolve(input.params) });
  const type = res.headers.get("content-type") ?? "";
  if (type.startsWith("text/event-stream")) {
    await res.body?.cancel();
    return { status: res.status, type, headers: res.headers, text: "", json: null };
  }
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  if (/^application\/(problem\+)?json\b/.test(type) && text) json = JSON.parse(text) as Record<string, unknown>;
  return { status: res.status, type, headers: res.headers, text, json };
}

/** The fields an RFC 9457 refusal may carry: nothing about the resource asked for. */
const PROBLEM_KEYS = new Set(["type", "title", "status", "detail", "requestId", "permission", "errors", "retryAfter"]);

export function expectProblem(res: Answer, status: number | number[], where: string): void {
  const statuses = Array.isArray(status) ? status : [status];
  expect(statuses, `${where}: status ${res.status}, body ${res.text.slice(0, 300)}`).toContain(res.status);
  expect(res.type, `${where}: content type`).toBe("application/problem+json");
  expect(res.json, `${where}: body`).toMatchObject({ type: "about:blank", status: res.status });
  expect(typeof res.json!.detail, `${where}: detail`).toBe("string");
}

/** A 401/403 says who may do what, never what is there. */
export function expectNoLeak(res: Answer, where: string): void {
  const extra = Object.keys(res.json ?? {}).filter((k) => !PROBLEM_KEYS.has(k));
  expect(extra, `${where}: the refusal carries resource fields`).toEqual([]);
  expect(res.json?.errors, `${where}: a refusal must not validate the input`).toBeUndefined();
  expect(res.text, `${where}: token material in a refusal`).not.toMatch(/nxs_[a-z0-9]/i);
}
