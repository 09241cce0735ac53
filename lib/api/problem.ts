import "server-only";
import type { ServiceErrorCode, FieldError } from "@/lib/server/errors";

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

/** An RFC 9457 problem+json response. */
export function problem(
  status: number,
  detail: string,
  extra: Partial<ProblemBody> = {},
  headers: Record<string, string> = {},
): Response {
  const body: ProblemBody = {
    type: "about:blank",
    title: TITLE_OF[status] ?? "Error",
    status,
    detail,
    ...extra,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers },
  });
}
