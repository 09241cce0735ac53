import fc from "fast-check";
import { stringify as toYaml } from "yaml";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Principal } from "@/lib/auth/permissions";
import { ROUTE_EXPECTATIONS } from "@/lib/auth/route-expectations";
import { seedDemo } from "@/lib/db/seed";
import { SYSTEM } from "@/lib/server/context";
import { openChangeRequest } from "@/lib/server/promotions/open-change-request";
import { createToken } from "@/lib/server/tokens/create-token";
import { callRoute, fillPattern, loadRouteHandlers, type Answer, type CallInput, type RouteHandler } from "../helpers/api-calls";
import { databaseSnapshot } from "../helpers/db-snapshot";
import { describeEachDatabase } from "../helpers/db";

// Fuzzing (RELIABILITY.md): every route that takes a body gets generated JSON (wrong types, huge
// strings, deep nesting, unicode, prototype keys, extra fields), every config-accepting route
// generated YAML/JSON/dotenv. The answer is a 2xx or a problem+json 4xx, never a 5xx, and a refused
// request leaves the database exactly as it was.

vi.mock("@/lib/auth/session", () => ({ currentUser: async () => null, requireUser: async () => null }));
const noSession = () => {};

const handlers = await loadRouteHandlers();
const SVC = "nexus-backend";
const ENV = "development"; // unprotected: saves may succeed, so the fuzz also walks the accepting paths

const JSON_RUNS = Number(process.env.FUZZ_RUNS_JSON ?? 20);
const CONFIG_RUNS = Number(process.env.FUZZ_RUNS_CONFIG ?? 30);
// A fixed seed by default, so that npm test is reproducible; FUZZ_SEED=random explores new inputs
// (fast-check prints the seed of a failure, and FUZZ_SEED=<that seed> replays it).
const SEED = process.env.FUZZ_SEED === "random" ? undefined : Number(process.env.FUZZ_SEED ?? 20261125);

// ---- generators -------------------------------------------------------------------------------

const nasty = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.string({ unit: "grapheme-composite", maxLength: 100 }),
  fc.constantFrom("", " ", "\u0000", "\ud800", "💥".repeat(1000), "a".repeat(70_000), "../../etc/passwd", "${secret:db-password}", "null", "0"),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e308),
);
const anyValue = fc.oneof(nasty, fc.jsonValue({ maxDepth: 3 }), fc.array(nasty, { maxLength: 5 }), fc.dictionary(fc.string({ maxLength: 10 }), nasty, { maxKeys: 5 }));

/** Raw JSON text: what a hostile client can send that JSON.stringify of a JS object cannot express. */
const rawJson = fc.oneof(
  fc.integer({ min: 1, max: 5000 }).map((d) => "[".repeat(d) + "]".repeat(d)),
  fc.integer({ min: 1, max: 2000 }).map((d) => '{"a":'.repeat(d) + "1" + "}".repeat(d)),
  fc.constantFrom(
    '{"__proto__":{"isAdmin":true,"role":"admin"}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"__proto__":null,"content":"a: 1","format":"yaml"}',
    '{"toString":"x","valueOf":1,"hasOwnProperty":2}',
    '{"a":1,"a":2}',
    "",
    "[]",
    "null",
    '"string"',
    "1e999",
  ),
);

/** Variants of the route's valid body: a field with a wrong value, extra fields, prototype keys. */
function bodies(valid: Record<string, unknown>): fc.Arbitrary<string> {
  const keys = Object.keys(valid);
  const wrongField = keys.length
    ? fc.record({ k: fc.constantFrom(...keys), v: anyValue }).map(({ k, v }) => JSON.stringify({ ...valid, [k]: v }))
    : fc.constant("{}");
  const extra = fc.dictionary(fc.string({ maxLength: 20 }), anyValue, { minKeys: 1, maxKeys: 5 }).map((x) => JSON.stringify({ ...valid, ...x }));
  const proto = fc.constantFrom("__proto__", "constructor", "prototype").map((k) => JSON.stringify(valid).replace(/^\{/, `{"${k}":{"admin":true},`));
  const whole = anyValue.map((v) => JSON.stringify(v) ?? "null");
  return fc.oneof(wrongField, extra, proto, whole, rawJson);
}

const configValue = fc.dictionary(
  fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom("__proto__", "constructor", "<<", "~", "?")),
  fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom("${secret:db-password}", "${var:REGION}", "${secret:nope}", "${")),
  { maxKeys: 6 },
);
const yamlText = fc.oneof(
  configValue.map((v) => toYaml(v)),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.constantFrom(
    "a: &a [*a, *a]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: &d [*c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d]",
    "!!js/function 'function(){}'",
    "key: !!binary aGVsbG8=",
    "? [a, b]\n: complex key",
    "- just\n- a list",
    "a: 1\na: 2",
    "%YAML 1.2\n---\na: 1\n...\n---\nb: 2",
    "<<: {x: 1}\ny: 2",
    "\t\tbad: indent",
  ),
  fc.integer({ min: 1, max: 3000 }).map((d) => "a: ".concat("[".repeat(d), "]".repeat(d))),
);
const jsonText = fc.oneof(configValue.map((v) => JSON.stringify(v)), fc.string({ maxLength: 200 }), rawJson);
const envText = fc.oneof(
  fc.array(fc.tuple(fc.string({ maxLength: 15 }), fc.string({ unit: "binary", maxLength: 40 })), { maxLength: 8 }).map((kv) => kv.map(([k, v]) => `${k}=${v}`).join("\n")),
  fc.constantFrom("export A=1\nB='two'\nC=\"three\\nlines\"", "=novalue", "A", "A=${secret:db-password}", "#only a comment"),
);
const configSource = fc.oneof(
  yamlText.map((content) => ({ content, format: "yaml" as const })),
  jsonText.map((content) => ({ content, format: "json" as const })),
  envText.map((content) => ({ content, format: "env" as const })),
);

// ---- checks -----------------------------------------------------------------------------------

function checkAnswer(res: Answer, where: string): void {
  const detail = `${where}: ${res.status} ${res.type} ${res.text.slice(0, 300)}`;
  expect(res.status, detail).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.type, detail).toBe("application/problem+json");
    expect(res.json?.status, detail).toBe(res.status);
    expect(typeof res.json?.detail, detail).toBe("string");
  }
}

const mutations = handlers.filter((h) => h.method !== "GET" && ROUTE_EXPECTATIONS[h.key]?.access !== "public" && !ROUTE_EXPECTATIONS[h.key]?.notCalled);

describe("fuzz inventory", () => {
  it("fuzzes every route that can take a body", () => {
    expect(mutations.length).toBeGreaterThan(30);
  });
});

describeEachDatabase("fuzzed routes", (db) => {
  let token = "";
  const ids = { changeRequest: "", token: "" };

  beforeAll(async () => {
    await seedDemo(db().db);
    token = (await createToken({ principal: SYSTEM, input: { name: "fuzz-admin", role: "admin", scopes: ["admin"] } })).token;
    ids.token = (await createToken({ principal: SYSTEM, input: { name: "fuzz-throwaway", role: "viewer", scopes: ["config:read"] } })).metadata.id;
    const author: Principal = { id: "user-author", kind: "user", name: "Author", roles: [{ role: "operator", environments: null }] };
    ids.changeRequest = (await openChangeRequest({ principal: author, input: { kind: "edit", service: SVC, env: "staging", content: "fuzz: 1\n", format: "yaml" } })).id;
  });

  function target(h: RouteHandler): { url: string; params: Record<string, string | string[]> } {
    const e = ROUTE_EXPECTATIONS[h.key];
    const name = h.pattern.includes("/variables/") ? "REGION" : h.pattern.includes("/policies/") ? "staging-log-level" : "db-password";
    const id = h.pattern.startsWith("/api/v1/tokens") ? ids.token : ids.changeRequest;
    const params: Record<string, string> = { svc: SVC, env: ENV, name, id, n: "1", ...e?.params };
    return { url: fillPattern(h.pattern, params) + (e?.query ? `?${e.query}` : ""), params };
  }

  // The snapshot before a request: the last one taken, unless a request since was accepted.
  let known: Record<string, string> | null = null;

  /** One request, then: never a 5xx, problem+json for every 4xx, and a 4xx changed nothing. */
  async function probe(h: RouteHandler, input: CallInput, label: string) {
    const before = known ?? (await databaseSnapshot(db()));
    known = null;
    const res = await callRoute(h.handler, input, { name: "admin token", token }, noSession);
    checkAnswer(res, `${h.key} with ${label}`);
    if (res.status >= 400) {
      const after = await databaseSnapshot(db());
      expect(after, `${h.key}: refused (${res.status}) yet changed the database`).toEqual(before);
      known = after;
    }
  }

  it.each(mutations.map((h) => [h.key, h] as const))("JSON bodies: %s", async (_key, h) => {
    const valid = JSON.parse(
      JSON.stringify(ROUTE_EXPECTATIONS[h.key]?.body ?? {}).replaceAll("{svc}", SVC).replaceAll("{env}", ENV),
    ) as Record<string, unknown>;
    const { url, params } = target(h);
    await fc.assert(
      fc.asyncProperty(bodies(valid), async (raw) => {
        await probe(h, { method: h.method, url, params, rawBody: raw, contentType: "application/json" }, `body ${raw.slice(0, 120)}`);
      }),
      { numRuns: JSON_RUNS, seed: SEED, endOnFailure: true },
    );
  });

  // Routes whose body carries a config source (content + format), and how each is addressed.
  const CONFIG_ROUTES: { key: string; body: (src: { content: string; format: string }, head: string | null) => unknown }[] = [
    { key: "PUT /api/v1/services/[svc]/environments/[env]/layer", body: (s, head) => ({ ...s, message: "fuzz", baseRevision: head }) },
    { key: "PUT /api/v1/services/[svc]/base", body: (s, head) => ({ ...s, message: "fuzz", baseRevision: head }) },
    { key: "PUT /api/v1/shared", body: (s, head) => ({ ...s, message: "fuzz", baseRevision: head }) },
    { key: "POST /api/v1/services/[svc]/environments/[env]/layer/validate", body: (s) => s },
    { key: "POST /api/v1/services/[svc]/base/validate", body: (s) => s },
    { key: "POST /api/v1/shared/validate", body: (s) => s },
    { key: "POST /api/v1/change-requests", body: (s) => ({ kind: "edit", service: SVC, env: "production", ...s }) },
    {
      key: "POST /api/v1/import",
      body: (s) => ({ files: [{ path: `services/${SVC}/${ENV}.${s.format === "env" ? "env" : s.format}`, content: s.content }] }),
    },
  ];

  it.each(CONFIG_ROUTES.map((r) => [r.key, r] as const))("config sources: %s", async (key, r) => {
    const h = handlers.find((x) => x.key === key);
    expect(h, `${key} is not a route any more: update CONFIG_ROUTES`).toBeDefined();
    const layerGet = handlers.find((x) => x.method === "GET" && x.pattern === h!.pattern);
    const { url, params } = target(h!);
    await fc.assert(
      fc.asyncProperty(configSource, async (src) => {
        // The current head, so that valid sources are saved and the accepting path is fuzzed too.
        let head: string | null = null;
        if (h!.method === "PUT" && layerGet) {
          const got = await callRoute(layerGet.handler, { method: "GET", url, params }, { name: "admin token", token }, noSession);
          head = ((got.json?.head as { id?: string } | null)?.id ?? null) as string | null;
        }
        await probe(h!, { method: h!.method, url, params, body: r.body(src, head) }, `${src.format} ${JSON.stringify(src.content.slice(0, 120))}`);
      }),
      { numRuns: CONFIG_RUNS, seed: SEED, endOnFailure: true },
    );
  });

  const observed = handlers.find((x) => x.key === "POST /api/v1/services/[svc]/environments/[env]/observed");
  it.runIf(observed !== undefined)("config sources: observed reports (raw JSON, YAML, dotenv bodies)", async () => {
    const { url, params } = target(observed!);
    const TYPES = { json: "application/json", yaml: "application/yaml", env: "text/x-dotenv" } as const;
    await fc.assert(
      fc.asyncProperty(configSource, async (src) => {
        await probe(observed!, { method: "POST", url, params, rawBody: src.content, contentType: TYPES[src.format] }, `${src.format} report`);
      }),
      { numRuns: CONFIG_RUNS, seed: SEED, endOnFailure: true },
    );
  });
});
