import "server-only";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ifNoneMatches } from "@/lib/api/config-response";
import { problemBody, problemOf, type MappedProblem } from "@/lib/api/problem";
import { log } from "@/lib/log";
import { httpsByConfig, securityHeaders } from "@/lib/api/security-headers";
import { metrics } from "@/lib/metrics";
import type { CachedConfig } from "./config-cache";

/** The label server.ts's route labeller gives this path (from Next's routes manifest). */
export const CONFIG_ROUTE = "/api/v1/services/[svc]/environments/[env]/config";

const REQUEST_ID = /^[\w.:-]{1,100}$/; // what server.ts accepts from a caller
const PROBLEM_HEADERS = { "content-type": "application/problem+json", "cache-control": "no-store" };
const securityHeadersOf = () => Object.fromEntries(securityHeaders(httpsByConfig()));

// Bound once: labelled lookups hash their labels on every call.
const served = metrics.httpRequests.labels("GET", CONFIG_ROUTE, "200");
const notModified = metrics.httpRequests.labels("GET", CONFIG_ROUTE, "304");
const duration = metrics.httpDuration.labels("GET", CONFIG_ROUTE);

/** One request on the fast path: the same request id and metrics as server.ts gives the rest. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  started: number;
  /** Set once something else (an audit event) named the request; the response carries the same id. */
  requestId?: string;
}

export function requestIdOf(x: Exchange): string {
  if (x.requestId !== undefined) return x.requestId;
  const given = x.req.headers["x-request-id"];
  return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Whether answering with `entry` sends its body (not a 304). */
export function sendsBody(x: Exchange, entry: CachedConfig): boolean {
  const inm = x.req.headers["if-none-match"];
  return !(inm !== undefined && ifNoneMatches(inm, entry.etag));
}

/** 304 when If-None-Match holds the ETag, else the body; header lists were built with the entry. */
export function sendConfig(x: Exchange, entry: CachedConfig): void {
  const { res } = x;
  const requestId = requestIdOf(x); // every response carries one (README, Operations)
  if (!sendsBody(x, entry)) {
    res.writeHead(304, entry.notModifiedHeaders.concat("x-request-id", requestId));
    res.end();
    notModified.inc();
  } else {
    res.writeHead(200, entry.okHeaders.concat("x-request-id", requestId));
    res.end(entry.body);
    served.inc();
  }
  // Successful reads are counted and timed, not logged one by one: at tens of thousands a second
  // a log line each would cost more than the answer (refusals below are logged).
  duration.observe((performance.now() - x.started) / 1000);
}

/** The error as the route would answer it (problemOf), logged like server.ts logs a request. */
export function sendProblem(x: Exchange, err: unknown): void {
  const { req, res } = x;
  const requestId = requestIdOf(x);
  let mapped: MappedProblem | null = problemOf(err, requestId);
  if (mapped === null) {
    // Unknown errors never leak: the caller gets the request id, the log gets the cause.
    log.error({ err, requestId }, "unhandled error on the delivery fast path");
    const detail = "Something went wrong on our side. Quote the request id when reporting it.";
    mapped = { status: 500, body: problemBody(500, detail, { requestId }), headers: {} };
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(mapped.status, { ...securityHeadersOf(), ...PROBLEM_HEADERS, ...mapped.headers, "x-request-id": requestId });
  res.end(JSON.stringify(mapped.body));
  const seconds = (performance.now() - x.started) / 1000;
  metrics.httpRequests.inc({ method: "GET", route: CONFIG_ROUTE, status: String(mapped.status) });
  duration.observe(seconds);
  const path = (req.url ?? "").split("?")[0];
  log.info({ requestId, method: "GET", route: CONFIG_ROUTE, path, status: mapped.status, ms: Math.round(seconds * 1000) }, "request");
}
