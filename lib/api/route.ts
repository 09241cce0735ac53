import "server-only";
import { randomUUID } from "node:crypto";
import type { NextRequest } from "next/server";
import type { ZodType } from "zod";
import { can, type Permission, type Principal } from "@/lib/auth/permissions";
import { findNul, NUL_MESSAGE } from "@/lib/domain/parse-config-source";
import { currentUser } from "@/lib/auth/session";
import { log } from "@/lib/log";
import type { RequestMeta } from "@/lib/server/context";
import { ServiceError } from "@/lib/server/errors";
import { guardTokenGuessing, rateLimiter } from "@/lib/server/rate-limit";
import { authenticateToken } from "@/lib/server/tokens/authenticate-token";
import { parseWith, problem, problemOf } from "./problem";

export const MAX_BODY_BYTES = 1024 * 1024;

export interface RouteContext<B, Q> {
  req: NextRequest;
  principal: Principal;
  params: Record<string, string>;
  body: B;
  query: Q;
  meta: RequestMeta;
}

interface RouteOptions<B, Q> {
  /** The permission the caller needs at all; the use case checks it again against its target. */
  permission: Permission;
  body?: ZodType<B>;
  query?: ZodType<Q>;
  /** Status of a successful answer that is not already a Response (default 200). */
  status?: number;
}

// Static routes get no params at all.
type NextRouteContext = { params?: Promise<Record<string, string | string[]> | undefined> } | undefined;

/**
 * The one wrapper of every API route: authenticates (bearer token or session cookie), checks the
 * declared permission, checks Origin on cookie-authenticated mutations, parses input with zod and
 * maps every error to problem+json. Nothing else: business rules live in the use cases.
 */
export function route<B = undefined, Q = undefined>(
  options: RouteOptions<B, Q>,
  handler: (ctx: RouteContext<B, Q>) => Promise<unknown>,
) {
  return async (req: NextRequest, ctx: NextRouteContext): Promise<Response> => {
    const meta = requestMeta(req);
    try {
      const { principal, viaCookie } = await authenticate(req, meta);
      // Before the body is read: a save parses up to 1 MiB of YAML (RELIABILITY.md, "Rate limits").
      rateLimiter().check(isMutation(req.method) ? "write" : "read", `${principal.kind}:${principal.id}`);
      if (viaCookie && isMutation(req.method)) checkOrigin(req);
      if (!can(principal, options.permission)) {
        throw new ServiceError("forbidden", `You do not have the ${options.permission} permission.`, {
          permission: options.permission,
        });
      }
      const params = Object.fromEntries(
        Object.entries((await ctx?.params) ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]),
      );
      const search = Object.fromEntries(req.nextUrl.searchParams);
      if ([...Object.values(params), ...Object.values(search)].some((v) => v.includes("\u0000"))) {
        throw new ServiceError("bad_request", "The URL contains the NUL character (%00), which no name or filter can hold.");
      }
      const query = options.query ? parseWith(options.query, search, "query") : (undefined as Q);
      const body = options.body ? parseWith(options.body, await readJson(req), "body") : (undefined as B);
      const result = await handler({ req, principal, params, body, query, meta });
      if (result instanceof Response) return result;
      return Response.json(result ?? null, {
        status: options.status ?? 200,
        headers: { "cache-control": "no-store", "x-request-id": meta.requestId ?? "" },
      });
    } catch (err) {
      return errorResponse(err, meta);
    }
  };
}

/** A route anyone may call (health probes); still maps errors to problem+json. */
export function publicRoute(handler: (req: NextRequest) => Promise<Response>) {
  return async (req: NextRequest): Promise<Response> => {
    const meta = requestMeta(req);
    try {
      return await handler(req);
    } catch (err) {
      return errorResponse(err, meta);
    }
  };
}

export function errorResponse(err: unknown, meta: RequestMeta): Response {
  const requestId = meta.requestId ?? undefined;
  const mapped = problemOf(err, requestId);
  if (mapped) return problem(mapped.status, mapped.body.detail, mapped.body, mapped.headers);
  // Unknown errors never leak: the caller gets the request id, the log gets the cause.
  log.error({ err, requestId }, "unhandled error in route");
  return problem(500, "Something went wrong on our side. Quote the request id when reporting it.", { requestId });
}

async function authenticate(req: NextRequest, meta: RequestMeta): Promise<{ principal: Principal; viaCookie: boolean }> {
  const authz = req.headers.get("authorization");
  if (authz !== null) {
    const principal = await guardTokenGuessing(meta.ip, () => {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authz);
      if (!m) throw new ServiceError("unauthenticated", "The Authorization header must be `Bearer <token>`.");
      return authenticateToken(m[1]!);
    });
    return { principal, viaCookie: false };
  }
  // No session cookie at all: no need to ask next-auth (which also needs a request scope).
  const hasSessionCookie = req.cookies.getAll().some((c) => c.name.endsWith("next-auth.session-token"));
  const session = hasSessionCookie ? await currentUser() : null;
  if (!session) {
    throw new ServiceError("unauthenticated", "Sign in to the console, or send `Authorization: Bearer <token>`.");
  }
  return { principal: session.principal, viaCookie: true };
}

function isMutation(method: string): boolean {
  return !["GET", "HEAD", "OPTIONS"].includes(method);
}

/** CSRF: a browser sends Origin on every cross-site mutation; it must be this console's own. */
function checkOrigin(req: NextRequest): void {
  const origin = req.headers.get("origin");
  const allowed = new Set<string>();
  if (process.env.NEXTAUTH_URL) allowed.add(new URL(process.env.NEXTAUTH_URL).origin);
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  const proto = req.headers.get("x-forwarded-proto") ?? req.nextUrl.protocol.replace(":", "");
  if (host) allowed.add(`${proto}://${host}`);
  if (!origin || !allowed.has(origin)) {
    throw new ServiceError(
      "forbidden",
      origin ? `Requests from ${origin} may not change anything here.` : "A cookie-authenticated change must carry an Origin header.",
    );
  }
}

async function readJson(req: NextRequest): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new ServiceError("unsupported", "Send the body as JSON with Content-Type: application/json.");
  }
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge();
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    throw new ServiceError("bad_request", `The body is not valid JSON: ${(e as Error).message}`);
  }
  // PostgreSQL's text and jsonb cannot hold U+0000: a 422 here, not a 500 at some insert.
  const nul = findNul(value);
  if (nul !== null) {
    const path = ["body", ...nul.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))].join(".");
    throw new ServiceError("invalid", "The body is not valid.", { errors: [{ path, message: NUL_MESSAGE }] });
  }
  return value;
}

const tooLarge = () => new ServiceError("too_large", `The body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB.`);

export function requestMeta(req: Request): RequestMeta {
  const h = req.headers;
  return {
    requestId: h.get("x-request-id") ?? randomUUID(),
    ip: h.get("x-forwarded-for")?.split(",")[0]?.trim() ?? h.get("x-real-ip") ?? null,
    userAgent: h.get("user-agent")?.slice(0, 500) ?? null,
  };
}
