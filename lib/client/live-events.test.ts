import { describe, expect, it } from "vitest";
import { configKeys } from "./config-api";
import { invalidationsFor, parseLiveMessage, type Invalidation, type LiveMessage } from "./live-events";
import { queryKeys } from "./query-keys";

const msg = (type: string, payload: Record<string, unknown>): LiveMessage => ({ id: 1, type, at: "2026-01-01T00:00:00.000Z", payload });

/** Whether a query with this key would be invalidated (react-query matches by prefix, then predicate). */
function hits(list: Invalidation[], key: readonly unknown[]): boolean {
  return list.some((i) => i === "everything" || (i.queryKey.every((k, n) => key[n] === k) && (!i.predicate || i.predicate(key))));
}

describe("invalidationsFor", () => {
  const overlay = msg("config.saved", { service: "redis", environment: "staging", layer: "overlay" });

  it("an overlay save reaches that service and environment only", () => {
    const list = invalidationsFor(overlay);
    expect(hits(list, configKeys.resolved("redis", "staging"))).toBe(true);
    expect(hits(list, configKeys.layer({ kind: "overlay", service: "redis", env: "staging" }))).toBe(true);
    expect(hits(list, configKeys.revisions({ kind: "overlay", service: "redis", env: "staging" }))).toBe(true);
    expect(hits(list, configKeys.compare("redis", "development", "staging"))).toBe(true);
    expect(hits(list, configKeys.resolved("redis", "production"))).toBe(false);
    expect(hits(list, configKeys.resolved("vault", "staging"))).toBe(false);
    expect(hits(list, configKeys.layer({ kind: "base", service: "redis" }))).toBe(false);
    expect(hits(list, queryKeys.changeRequests())).toBe(false);
  });

  it("a base save reaches every environment of the service; the shared template every service", () => {
    const base = invalidationsFor(msg("config.saved", { service: "redis", environment: null, layer: "base" }));
    expect(hits(base, configKeys.resolved("redis", "production"))).toBe(true);
    expect(hits(base, configKeys.resolved("vault", "production"))).toBe(false);
    const shared = invalidationsFor(msg("config.saved", { service: null, environment: null, layer: "shared" }));
    expect(hits(shared, configKeys.resolved("vault", "production"))).toBe(true);
    expect(hits(shared, configKeys.layer({ kind: "shared" }))).toBe(true);
  });

  it("a secret rotation refreshes the secrets list of its service and environment", () => {
    const list = invalidationsFor(msg("secret.rotated", { service: "vault", environment: "production", name: "db", version: 2 }));
    expect(hits(list, configKeys.secrets("vault", "production"))).toBe(true);
    expect(hits(list, configKeys.secrets("vault", "staging"))).toBe(false);
  });

  it("a change request event refreshes lists and details; an applied one the target's config too", () => {
    const approved = invalidationsFor(msg("change_request.approved", { service: "redis", environment: "staging", state: "approved" }));
    expect(hits(approved, queryKeys.changeRequestList("open"))).toBe(true);
    expect(hits(approved, queryKeys.changeRequest("12"))).toBe(true);
    expect(hits(approved, configKeys.resolved("redis", "staging"))).toBe(false);
    const applied = invalidationsFor(msg("change_request.applied", { services: ["redis", "vault"], service: null, environment: "staging", state: "applied" }));
    expect(hits(applied, configKeys.resolved("vault", "staging"))).toBe(true);
    expect(hits(applied, configKeys.resolved("vault", "production"))).toBe(false);
  });

  it("resync refreshes everything; unknown families nothing", () => {
    expect(invalidationsFor(msg("stream.resync", {}))).toEqual(["everything"]);
    expect(invalidationsFor(msg("webhook.delivered", { service: "redis" }))).toEqual([]);
  });
});

describe("parseLiveMessage", () => {
  it("reads the server's data line and ignores anything else", () => {
    expect(parseLiveMessage('{"id":5,"type":"config.saved","at":"x","payload":{"service":"a"}}')).toEqual({ id: 5, type: "config.saved", at: "x", payload: { service: "a" } });
    expect(parseLiveMessage("not json")).toBeNull();
    expect(parseLiveMessage('{"type":1,"payload":{}}')).toBeNull();
    expect(parseLiveMessage('{"type":"x","payload":null}')).toBeNull();
  });
});
