import "server-only";
import { z, type ZodType } from "zod";
import { isRefusal } from "@/lib/db/breaker";
import { causeCode, isDatabaseUnavailable } from "@/lib/db/unavailable";
import { log } from "@/lib/log";
import { ServiceError, type ServiceErrorCode, type FieldError } from "@/lib/server/errors";

export const STATUS_OF: Record<ServiceErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  invalid: 422,
  rate_limited: 429,
  unavailable: 503,
};

const TITLE_OF: Record<number, string> = {
  400: "Bad request",
  401: "Authentication required",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Content too large",
  415: "Unsupported media type",
  422: "Invalid content",
  429: "Too many requests",
  500: "Internal error",
  503: "Service unavailable",
};

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  requestId?: string;
  [extension: string]: unknown;
}

export function problemBody(status: number, detail: string, extra: Partial<ProblemBody> = {}): ProblemBody {
  return { type: "about:blank", title: TITLE_OF[status] ?? "Error", status, detail, ...extra };
}

/** An RFC 9457 problem+json response. */
export function problem(
  status: number,
  detail: string,
  extra: Partial<ProblemBody> = {},
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(problemBody(status, detail, extra)), {
    status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers },
  });
}

export interface MappedProblem {
  status: number;
  body: ProblemBody;
  headers: Record<string, string>;
}

/**
 * The one mapping of a thrown error to problem+json, used by the route wrapper and by the custom
 * server's delivery fast path. Null for an unknown error: the caller logs it and answers 500.
 */
export function problemOf(err: unknown, requestId: string | undefined): MappedProblem | null {
  if (err instanceof ServiceError) {
    const status = STATUS_OF[err.code];
    const headers: Record<string, string> = {};
    if (status === 401) headers["www-authenticate"] = 'Bearer realm="nexus"';
    if (typeof err.details.retryAfter === "number") headers["retry-after"] = String(err.details.retryAfter);
    return { status, body: problemBody(status, err.message, { ...err.details, requestId }), headers };
  }
  if (err instanceof z.ZodError) {
    const body = problemBody(422, "The request does not match what this endpoint accepts.", {
      errors: zodErrors(err, ""),
      requestId,
    });
    return { status: 422, body, headers: {} };
  }
  if (isDatabaseUnavailable(err)) {
    // Every 503 that reached the driver names its cause in the log. The breaker's own refusals
    // are not logged one by one: it logs once when it opens and once when it closes.
    if (!isRefusal(err)) log.warn({ err, cause: causeCode(err), requestId }, "database unavailable: answered 503");
    const body = problemBody(503, "The database cannot be reached right now. Retry in a few seconds.", { requestId });
    return { status: 503, body, headers: { "retry-after": "5" } };
  }
  return null;
}

export function zodErrors(err: z.ZodError, root: string): FieldError[] {
  return err.issues.map((i) => ({
    path: [root, ...i.path.map(String)].filter(Boolean).join("."),
    message: i.message,
  }));
}

/** Parses request input; what does not match is a 422 naming each wrong field. */
export function parseWith<T>(schema: ZodType<T>, value: unknown, where: "body" | "query"): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new ServiceError("invalid", `The ${where} is not valid.`, { errors: zodErrors(r.error, where) });
}
