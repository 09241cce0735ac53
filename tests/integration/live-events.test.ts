import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as eventsRoute } from "@/app/api/v1/events/route";
import type { Principal } from "@/lib/auth/permissions";
import { seedDemo } from "@/lib/db/seed";
import { SYSTEM } from "@/lib/server/context";
import { closeEventHub, getEventHub } from "@/lib/server/events/event-hub";
import { openEventStream } from "@/lib/server/events/open-event-stream";
import { emitEvent } from "@/lib/server/promotions/load";
import { authenticateToken } from "@/lib/server/tokens/authenticate-token";
import { createToken } from "@/lib/server/tokens/create-token";
import { revokeToken } from "@/lib/server/tokens/revoke-token";
import { describeEachDatabase } from "../helpers/db";
import { editOverlay, olivia, promote } from "../helpers/promotions";
import { expectServiceError } from "../helpers/rows";
import { readSse } from "../helpers/sse";

const devViewer: Principal = { id: "vera", kind: "user", name: "Vera", roles: [{ role: "viewer", environments: ["development"] }] };
const viewer: Principal = { id: "morgan", kind: "user", name: "Morgan", roles: [{ role: "viewer", environments: null }] };

describeEachDatabase("live updates (GET /api/v1/events)", (db, kind) => {
  beforeAll(async () => {
    await seedDemo(db().db);
  });
  afterAll(async () => {
    await closeEventHub();
  });

  /** Writes one outbox row in its own transaction, as every emitting use case does; returns its id. */
  async function emit(type: string, payload: Record<string, unknown>): Promise<number> {
    await db().db.transaction((t) => emitEvent(t, type, payload));
    const rows = await db().db.query.outboxEvents.findMany({ orderBy: (o, { desc }) => [desc(o.id)], limit: 1 });
    return rows[0]!.id;
  }

  async function open(principal: Principal, lastEventId: number | null = null, extra: Partial<Parameters<typeof openEventStream>[0]> = {}) {
    const sse = readSse(await openEventStream({ principal, lastEventId, ...extra }));
    await sse.until(() => sse.messages.some((m) => m.json?.type === "stream.ready"));
    return sse;
  }

  const types = (sse: ReturnType<typeof readSse>) => sse.events().map((m) => `${m.json!.type}:${String(m.json!.payload.marker ?? "")}`);

  it("streams each change as an `id:` line (the outbox id) and one JSON data line", async () => {
    const sse = await open(viewer);
    try {
      expect(sse.messages[0]!.retry).toBe(3000);
      const ready = sse.messages.find((m) => m.json?.type === "stream.ready")!;
      expect(ready.id, "the ready message must not move Last-Event-ID").toBeNull();
      const id = await emit("config.saved", { service: "redis", environment: "staging", layer: "overlay", revision: 7, author: "Olivia", marker: "fmt" });
      await sse.until(() => sse.events().length === 1);
      const [m] = sse.events();
      expect(m!.id).toBe(String(id));
      expect(m!.event, "unnamed: EventSource's onmessage receives it").toBeNull();
      expect(m!.json).toMatchObject({ id, type: "config.saved", payload: { service: "redis", environment: "staging", revision: 7 } });
      expect(Date.parse(m!.json!.at)).not.toBeNaN();
      expect(sse.raw).toMatch(new RegExp(`\\nid: ${id}\\ndata: \\{[^\\n]*\\}\\n\\n`));
    } finally {
      await sse.cancel();
    }
  });

  it("a token scoped to one service receives that service's events and not another's", async () => {
    const { token } = await createToken({ principal: SYSTEM, input: { name: "redis-reader", role: "viewer", scopes: ["config:read"], services: ["redis"] } });
    const principal = await authenticateToken(token);
    const sse = await open(principal);
    try {
      await emit("config.saved", { service: "vault", environment: "staging", marker: "other-service" });
      await emit("change_request.applied", { service: "redis", environment: "staging", marker: "no-changes-read-scope" });
      await emit("config.saved", { service: "redis", environment: "staging", marker: "own" });
      await sse.until(() => types(sse).includes("config.saved:own"));
      // Rows are delivered in id order: had the earlier ones been let through, they would be here.
      expect(types(sse)).toEqual(["config.saved:own"]);
    } finally {
      await sse.cancel();
    }
  });

  it("a viewer limited to development does not get production events", async () => {
    const sse = await open(devViewer);
    try {
      await emit("change_request.opened", { service: "redis", environment: "production", marker: "prod" });
      await emit("config.saved", { service: "redis", environment: "production", marker: "prod" });
      await emit("drift.detected", { service: "redis", environment: "production", marker: "prod" });
      await emit("config.saved", { service: "redis", environment: null, layer: "base", marker: "base" });
      await emit("health.status_changed", { service: "redis", environment: "development", marker: "dev" });
      await sse.until(() => types(sse).includes("health.status_changed:dev"));
      expect(types(sse)).toEqual(["config.saved:base", "health.status_changed:dev"]);
    } finally {
      await sse.cancel();
    }
  });

  it("tells nobody of event families it does not know", async () => {
    const sse = await open(viewer);
    try {
      await emit("webhook.endpoint_disabled", { service: null, environment: null, marker: "unknown" });
      await emit("config.saved", { service: "redis", environment: "development", marker: "after" });
      await sse.until(() => types(sse).includes("config.saved:after"));
      expect(types(sse)).toEqual(["config.saved:after"]);
    } finally {
      await sse.cancel();
    }
  });

  it("sends change requests with their target environment and services, from the real use cases", async () => {
    const sse = await open(viewer);
    try {
      await editOverlay("redis", "development", (s) => `${s}\nlive_probe: 1\n`);
      const cr = await promote(["redis"], "development", "staging", olivia);
      await sse.until(() => sse.events().some((m) => m.json!.type === "change_request.opened" && m.json!.payload.id === cr.id));
      const opened = sse.events().find((m) => m.json!.type === "change_request.opened")!;
      expect(opened.json!.payload).toMatchObject({ number: cr.number, state: "in_review", service: "redis", environment: "staging" });
    } finally {
      await sse.cancel();
    }
    const dev = await open(devViewer);
    try {
      await editOverlay("vault", "development", (s) => `${s}\nlive_probe: 2\n`);
      const cr = await promote(["vault"], "development", "staging", olivia);
      expect(cr.state).toBe("in_review");
      await emit("config.saved", { service: "redis", environment: "development", marker: "fence" });
      await dev.until(() => types(dev).includes("config.saved:fence"));
      // Its target is staging, which this viewer cannot read.
      expect(dev.events().filter((m) => m.json!.type.startsWith("change_request."))).toEqual([]);
    } finally {
      await dev.cancel();
    }
  });

  // PGlite runs one transaction at a time: only PostgreSQL can commit a later id first, so the
  // test exists on PostgreSQL only (not registered as skipped on PGlite).
  const itOnPostgres = kind === "postgres" ? it : (((..._args: unknown[]) => undefined) as unknown as typeof it);
  itOnPostgres("delivers a row whose transaction commits after a later id's", async () => {
    const sse = await open(viewer);
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let inserted = () => {};
    const early = new Promise<void>((r) => (inserted = r));
    const slow = db().db.transaction(async (t) => {
      await emitEvent(t, "config.saved", { service: "redis", environment: "staging", marker: "early-id" });
      inserted();
      await gate;
    });
    try {
      await early;
      await emit("config.saved", { service: "redis", environment: "staging", marker: "late-id" });
      await sse.until(() => types(sse).includes("config.saved:late-id"));
      release();
      await slow;
      await sse.until(() => types(sse).includes("config.saved:early-id"));
      expect(types(sse)).toEqual(["config.saved:late-id", "config.saved:early-id"]);
      const ids = sse.events().map((m) => Number(m.id));
      expect(ids[0]).toBeGreaterThan(ids[1]!);
    } finally {
      release();
      await slow.catch(() => {});
      await sse.cancel();
    }
  });

  it("replays what came after Last-Event-ID, filtered, before going live", async () => {
    const first = await emit("config.saved", { service: "redis", environment: "development", marker: "r1" });
    await emit("config.saved", { service: "redis", environment: "production", marker: "r2" });
    await emit("config.saved", { service: "redis", environment: "development", marker: "r3" });
    const sse = await open(devViewer, first);
    try {
      expect(types(sse)).toEqual(["config.saved:r3"]);
      const readyAt = sse.messages.findIndex((m) => m.json?.type === "stream.ready");
      expect(sse.messages.findIndex((m) => m.json?.payload.marker === "r3")).toBeLessThan(readyAt);
      await emit("config.saved", { service: "redis", environment: "development", marker: "r4" });
      await sse.until(() => types(sse).includes("config.saved:r4"));
      expect(types(sse)).toEqual(["config.saved:r3", "config.saved:r4"]);
    } finally {
      await sse.cancel();
    }
  });

  it("asks the client to resync when more was missed than a replay carries", async () => {
    const from = await emit("config.saved", { service: "redis", environment: "development", marker: "s0" });
    for (let i = 1; i <= 5; i++) await emit("config.saved", { service: "redis", environment: "development", marker: `s${i}` });
    const sse = await open(viewer, from, { replayLimit: 3 });
    try {
      expect(sse.events()).toEqual([]);
      const resync = sse.messages.find((m) => m.json?.type === "stream.resync")!;
      expect(Number(resync.id)).toBeGreaterThanOrEqual(from + 5);
    } finally {
      await sse.cancel();
    }
  });

  it("sends heartbeat comments, and ends the stream of a token revoked meanwhile", async () => {
    const { token, metadata } = await createToken({ principal: SYSTEM, input: { name: "beat", role: "viewer", scopes: ["config:read"] } });
    const principal = await authenticateToken(token);
    const sse = await open(principal, null, { heartbeatMs: 50, stillAllowed: () => authenticateToken(token).then(() => true) });
    await sse.until(() => sse.messages.some((m) => m.comment?.startsWith("heartbeat")));
    await revokeToken({ principal: SYSTEM, input: { id: metadata.id } });
    await sse.until(() => sse.ended).catch(() => {});
    expect(sse.ended).toBe(true);
  });

  it("ends a stream after its maximum age, so that the client reconnects and is authenticated again", async () => {
    const hub = await getEventHub();
    const before = hub.subscribers;
    const sse = await open(viewer, null, { maxAgeMs: 100 });
    await sse.until(() => sse.ended).catch(() => {});
    expect(sse.ended).toBe(true);
    expect(hub.subscribers).toBe(before);
  });

  it("lets go of a stream whose client went away", async () => {
    const hub = await getEventHub();
    const before = hub.subscribers;
    const abort = new AbortController();
    const sse = await open(viewer, null, { signal: abort.signal });
    expect(hub.subscribers).toBe(before + 1);
    abort.abort();
    await sse.until(() => sse.ended).catch(() => {});
    expect(sse.ended).toBe(true);
    expect(hub.subscribers).toBe(before);
  });

  it("refuses a token without any read scope", async () => {
    const { token } = await createToken({ principal: SYSTEM, input: { name: "agent", role: "operator", scopes: ["observed:write"] } });
    await expectServiceError(openEventStream({ principal: await authenticateToken(token), lastEventId: null }), "forbidden", /config:read/);
  });

  describe("the route", () => {
    it("answers text/event-stream to a bearer token, honouring Last-Event-ID", async () => {
      const { token } = await createToken({ principal: SYSTEM, input: { name: "route", role: "viewer", scopes: ["config:read"] } });
      const first = await emit("config.saved", { service: "redis", environment: "development", marker: "h1" });
      await emit("config.saved", { service: "redis", environment: "development", marker: "h2" });
      const abort = new AbortController();
      const req = new NextRequest("http://localhost/api/v1/events", {
        headers: { authorization: `Bearer ${token}`, "last-event-id": String(first) },
        signal: abort.signal,
      });
      const res = await eventsRoute(req, undefined);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
      expect(res.headers.get("cache-control")).toContain("no-transform");
      const sse = readSse(res.body!);
      try {
        await sse.until(() => sse.messages.some((m) => m.json?.type === "stream.ready"));
        expect(types(sse)).toEqual(["config.saved:h2"]);
      } finally {
        abort.abort();
        await sse.cancel();
      }
    });

    it("answers 401 problem+json without credentials", async () => {
      const res = await eventsRoute(new NextRequest("http://localhost/api/v1/events"), undefined);
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    });
  });
});
