import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Principal } from "@/lib/auth/permissions";
import { parseWith } from "@/lib/api/problem";
import type { DatabaseHandle } from "@/lib/db/client";
import { metrics } from "@/lib/metrics";
import {
  deliveredSecretNames,
  deliversSecretValues,
  getResolvedConfig,
  getResolvedConfigInput,
  OUTPUT_FORMATS,
  type OutputFormat,
} from "../configs/get-resolved-config";
import { authorize } from "../context";
import { ServiceError } from "../errors";
import { rateLimited, rateLimiter } from "../rate-limit";
import { subscribeToChanges, type FeedOptions } from "./change-feed";
import { cacheKey, cachedConfig, ConfigCache, type CachedConfig, type ConfigCacheLimits } from "./config-cache";
import { requestIdOf, sendConfig, sendProblem, sendsBody, type Exchange } from "./respond";
import { secretDeliveries } from "./secret-deliveries";
import { TokenCache } from "./token-cache";

// GET /api/v1/services/{svc}/environments/{env}/config[?query]. Names that are not plain
// ^[a-z0-9][a-z0-9-]{0,62}$ (percent-encoded, too long …) do not match and go to Next's route.
const CONFIG_PATH = /^\/api\/v1\/services\/([a-z0-9][a-z0-9-]{0,62})\/environments\/([a-z0-9][a-z0-9-]{0,62})\/config(?:\?(.*))?$/;
const PREFIX = "/api/v1/services/";
const BEARER = /^Bearer\s+(\S+)\s*$/i;
const QUERY = getResolvedConfigInput.omit({ service: true, env: true });
const FORMATS: ReadonlySet<string> = new Set(OUTPUT_FORMATS);

export interface Delivery {
  /** Answers the request and returns true, or returns false and leaves it untouched for Next. */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
  readonly cache: ConfigCache;
  readonly tokens: TokenCache;
  close(): Promise<void>;
}

export interface DeliveryOptions extends FeedOptions {
  limits?: Partial<ConfigCacheLimits>;
  /** The use case a miss runs; tests wrap it to hold a fill open while a save commits. */
  resolve?: typeof getResolvedConfig;
}

type Asked = { value: string; query: Record<string, string> } | undefined;

interface Fill {
  generation: number;
  promise: Promise<CachedConfig>;
}

/**
 * The delivery fast path of the custom server (ARCHITECTURE.md): bearer-token reads of head
 * resolved configs, answered from memory. Same rules as the App Router route, reached without
 * Next: the token means what authenticateToken says, permissions come from `can`/`authorize`, a
 * miss runs the getResolvedConfig use case, and errors map through problemOf.
 */
export async function startDelivery(handle: DatabaseHandle, opts: DeliveryOptions = {}): Promise<Delivery> {
  const cache = new ConfigCache(opts.limits);
  const tokens = new TokenCache(handle.db);
  const fills = new Map<string, Fill>();
  const resolve = opts.resolve ?? getResolvedConfig;
  const deliveries = secretDeliveries();
  const hits = metrics.deliveryCacheLookups.labels("hit");
  const misses = metrics.deliveryCacheLookups.labels("miss");
  const limiter = rateLimiter();
  const trustProxy = process.env.NEXUS_TRUST_PROXY === "true";
  // The route wrapper's token-guessing guard (lib/server/rate-limit.ts), kept synchronous here.
  const clientIp = (req: IncomingMessage): string =>
    (trustProxy ? (req.headers["x-forwarded-for"] as string | undefined)?.split(",")[0]?.trim() : undefined) ??
    req.socket.remoteAddress ??
    "unknown";
  const refused = (ip: string, err: unknown) => {
    if (err instanceof ServiceError && err.code === "unauthenticated") limiter.take("auth_failure", ip);
  };

  const feed = await subscribeToChanges(
    handle,
    {
      config(change, source) {
        // A fill already under way for what this reaches may have read the old state: it is not
        // stored, and later requests start their own (fill() asks the cache whether it is current).
        cache.invalidate(change);
        metrics.deliveryInvalidations.inc({ source });
      },
      tokens: () => tokens.markStale(),
      listening: (ok) => cache.setStoring(ok),
    },
    opts,
  );
  await tokens.load();

  function fill(key: string, principal: Principal, service: string, env: string, format: OutputFormat): Promise<CachedConfig> {
    const running = fills.get(key);
    if (running !== undefined && cache.isCurrent(service, env, running.generation)) return running.promise;
    const generation = cache.generation;
    const promise = resolve({ principal, input: { service, env, format } }).then((r) => {
      const entry = cachedConfig({ ...r, secrets: deliveredSecretNames(r) });
      cache.set(key, entry, generation);
      return entry;
    });
    const record = { generation, promise };
    fills.set(key, record);
    const done = () => {
      if (fills.get(key) === record) fills.delete(key);
    };
    promise.then(done, done);
    return promise;
  }

  // `asked` is the raw ?format= (last one, as the route reads it), validated after authentication.
  function answer(x: Exchange, principal: Principal, service: string, env: string, asked: Asked) {
    // The route wrapper's checks in its order, then the use case's own: same functions, same messages.
    limiter.check("delivery", `${principal.kind}:${principal.id}`);
    authorize(principal, "config:read");
    const format = asked === undefined ? "json" : FORMATS.has(asked.value) ? (asked.value as OutputFormat) : parseWith(QUERY, asked.query, "query").format;
    const target = { service, environment: env };
    authorize(principal, "config:read", target);
    const key = cacheKey(service, env, format, deliversSecretValues(principal, target));
    const entry = cache.get(key);
    if (entry !== undefined) {
      hits.inc();
      deliver(x, principal, entry);
      return;
    }
    misses.inc();
    fill(key, principal, service, env, format).then(
      (e) => deliver(x, principal, e),
      (err: unknown) => sendProblem(x, err),
    );
  }

  // Secret values go out once their delivery to this token is on the audit trail (secret-deliveries.ts).
  function deliver(x: Exchange, principal: Principal, entry: CachedConfig) {
    if (entry.secrets.length === 0 || !sendsBody(x, entry)) return sendConfig(x, entry);
    x.requestId = requestIdOf(x);
    const meta = { requestId: x.requestId, ip: clientIp(x.req), userAgent: x.req.headers["user-agent"]?.slice(0, 500) ?? null };
    const audited = deliveries.ensure(principal, { service: entry.service, env: entry.env, etag: entry.etag, secrets: entry.secrets }, meta);
    if (audited === null) return sendConfig(x, entry);
    audited.then(
      () => sendConfig(x, entry),
      (err: unknown) => sendProblem(x, err),
    );
  }

  function serve(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url;
    if (req.method !== "GET" || url === undefined || !url.startsWith(PREFIX)) return false;
    const m = CONFIG_PATH.exec(url);
    if (m === null) return false;
    // No Authorization: a console session, which Next's route authenticates. A header that is not
    // `Bearer <value>` is refused by that route with the message it owns.
    const authorization = req.headers.authorization;
    if (authorization === undefined) return false;
    const bearer = BEARER.exec(authorization);
    if (bearer === null) return false;
    const service = m[1]!;
    const env = m[2]!;
    let asked: Asked;
    if (m[3]) {
      const query = new URLSearchParams(m[3]);
      // Past configs (?at=, ?revision=) are not cached: Next's route reads them.
      if (query.has("at") || query.has("revision")) return false;
      const value = query.getAll("format").at(-1);
      if (value !== undefined) asked = { value, query: Object.fromEntries(query) };
    }
    const x: Exchange = { req, res, started: performance.now() };
    const ip = clientIp(req);
    try {
      const wait = limiter.blocked("auth_failure", ip);
      if (wait !== null) throw rateLimited(wait);
      const principal = tokens.authenticate(bearer[1]!, Date.now());
      if (principal instanceof Promise) {
        principal.then(
          (p) => answerOrFail(x, p, service, env, asked),
          (err: unknown) => {
            refused(ip, err);
            sendProblem(x, err);
          },
        );
      } else {
        answer(x, principal, service, env, asked);
      }
    } catch (err) {
      refused(ip, err);
      sendProblem(x, err);
    }
    return true;
  }

  function answerOrFail(x: Exchange, p: Principal, service: string, env: string, asked: Asked) {
    try {
      answer(x, p, service, env, asked);
    } catch (err) {
      sendProblem(x, err);
    }
  }

  return {
    serve,
    cache,
    tokens,
    async close() {
      await feed.close();
      await tokens.close();
    },
  };
}
