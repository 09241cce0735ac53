// What the console does with a live event (GET /api/v1/events): which react-query caches it makes
// stale. Pure, so that it is unit-tested without a browser.
import type { QueryKey } from "@tanstack/react-query";
import { configKeys } from "./config-api";
import { queryKeys } from "./query-keys";

export interface LiveMessage {
  id: number | null;
  type: string;
  at: string;
  payload: Record<string, unknown>;
}

export type Invalidation = { queryKey: QueryKey; predicate?: (key: QueryKey) => boolean } | "everything";

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

function servicesOf(p: Record<string, unknown>): string[] {
  if (Array.isArray(p.services) && p.services.length > 0) return p.services.filter((s): s is string => typeof s === "string");
  const one = str(p.service);
  return one ? [one] : [];
}

/**
 * Config queries a change reaches: the shared template (no service) reaches every one; a service's
 * base (no environment) every query of that service; an overlay only the queries naming both.
 */
function configOf(services: string[], env: string | null): Invalidation[] {
  if (services.length === 0) return [{ queryKey: configKeys.all() }];
  return services.map((svc) => ({
    queryKey: configKeys.all(),
    predicate: (key: QueryKey) => key.includes(svc) && (env === null || key.includes(env)),
  }));
}

/** The caches a live event makes stale. */
export function invalidationsFor(m: LiveMessage): Invalidation[] {
  const p = m.payload;
  const env = str(p.environment);
  if (m.type === "stream.resync") return ["everything"];
  if (m.type.startsWith("config.") || m.type.startsWith("secret.")) return configOf(servicesOf(p), env);
  if (m.type.startsWith("change_request.")) {
    // An applied request wrote revisions: the target's config changed too.
    const applied = m.type === "change_request.applied" || p.state === "applied";
    return [{ queryKey: queryKeys.changeRequests() }, ...(applied ? configOf(servicesOf(p), env) : [])];
  }
  if (m.type.startsWith("drift.")) return [{ queryKey: ["drift"] }];
  if (m.type.startsWith("health.")) return [{ queryKey: ["health"] }];
  return [];
}

/** Parses one `data:` line; anything unreadable is ignored rather than breaking the console. */
export function parseLiveMessage(data: string): LiveMessage | null {
  try {
    const v = JSON.parse(data) as Partial<LiveMessage>;
    if (typeof v.type !== "string" || typeof v.payload !== "object" || v.payload === null) return null;
    return { id: typeof v.id === "number" ? v.id : null, type: v.type, at: typeof v.at === "string" ? v.at : "", payload: v.payload };
  } catch {
    return null;
  }
}
