import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { configObjectWithNulls } from "./config-arbitraries";
import { cloneValue, type ConfigObject } from "./config-value";
import { adoptObserved, compileIgnoreRules, diffDrift, hashAtPaths, ignoreRuleProblem, sensitivePaths, SECRET_MASK } from "./drift";
import { mergeLayers } from "./merge-layers";
import { childPointer } from "./pointer";

const desired: ConfigObject = {
  database: { host: "db", port: 5432, password: "s3cr3t-desired" },
  workers: [
    { name: "a", pid: 11 },
    { name: "b", pid: 12 },
  ],
  runtime: { started: "10:00", uptime: 5 },
  tags: ["x", "y"],
};

describe("diffDrift", () => {
  it("reports missing, unexpected and changed paths with expected and observed values, down to array elements", () => {
    const observed: ConfigObject = {
      database: { host: "db2", password: "s3cr3t-desired" },
      workers: [{ name: "a", pid: 11 }],
      runtime: { started: "10:00", uptime: 5 },
      tags: ["x", "z", "w"],
      extra: true,
    };
    expect(diffDrift({ desired, observed })).toEqual([
      { path: "/database/host", kind: "changed", expected: "db", observed: "db2" },
      { path: "/database/port", kind: "missing", expected: 5432 },
      { path: "/workers/1", kind: "missing", expected: { name: "b", pid: 12 } },
      { path: "/tags/1", kind: "changed", expected: "y", observed: "z" },
      { path: "/tags/2", kind: "unexpected", observed: "w" },
      { path: "/extra", kind: "unexpected", observed: true },
    ]);
  });

  it("ignores JSON pointers (with everything under them) and globs, down to single array elements", () => {
    const observed: ConfigObject = {
      ...cloneValue(desired),
      runtime: { started: "11:00", uptime: 900, host: "pod-7" },
      workers: [
        { name: "a", pid: 99 },
        { name: "b", pid: 98 },
      ],
      tags: ["x", "CHANGED"],
    };
    const all = diffDrift({ desired, observed }).map((e) => e.path);
    expect(all).toEqual(["/workers/0/pid", "/workers/1/pid", "/runtime/started", "/runtime/uptime", "/runtime/host", "/tags/1"]);
    const ignore = compileIgnoreRules(["/runtime/**", "/workers/*/pid", "/tags/1"]);
    expect(diffDrift({ desired, observed, ignore })).toEqual([]);
    expect(diffDrift({ desired, observed, ignore: compileIgnoreRules(["/runtime"]) }).map((e) => e.path)).toEqual(["/workers/0/pid", "/workers/1/pid", "/tags/1"]);
  });

  it("leaves ignored members out of a value reported whole, and drops a subtree that was all ignored", () => {
    const d: ConfigObject = { a: 1 };
    const o: ConfigObject = { a: 1, runtime: { pid: 3 }, cache: { size: 1, at: "now" } };
    const ignore = compileIgnoreRules(["/runtime/pid", "/cache/at"]);
    expect(diffDrift({ desired: d, observed: o, ignore })).toEqual([{ path: "/cache", kind: "unexpected", observed: { size: 1 } }]);
  });

  it("says only that a secret changed, and masks secrets inside values reported whole", () => {
    const observed: ConfigObject = { ...cloneValue(desired), database: { host: "db", port: 5432, password: "other" } };
    expect(diffDrift({ desired, observed, secretPaths: ["/database/password"] })).toEqual([{ path: "/database/password", kind: "changed", secret: true }]);
    const gone: ConfigObject = { ...cloneValue(desired) };
    delete gone.database;
    expect(diffDrift({ desired, observed: gone, secretPaths: ["/database/password"] })).toEqual([
      { path: "/database", kind: "missing", expected: { host: "db", port: 5432, password: SECRET_MASK } },
    ]);
  });

  it("property: diff(x, x) is empty", () => {
    fc.assert(fc.property(configObjectWithNulls, (x) => diffDrift({ desired: x, observed: cloneValue(x) }).length === 0));
  });

  it("property: empty exactly when the configs are equal, and every reported path really differs", () => {
    fc.assert(
      fc.property(configObjectWithNulls, configObjectWithNulls, (a, b) => {
        const d = diffDrift({ desired: a, observed: b });
        expect(d.length === 0).toBe(JSON.stringify(sortDeep(a)) === JSON.stringify(sortDeep(b)));
        for (const e of d) expect(e.expected === undefined && e.observed === undefined).toBe(false);
      }),
    );
  });

  it("property: an ignored path never appears, nor anything under it", () => {
    fc.assert(
      fc.property(configObjectWithNulls, configObjectWithNulls, (a, b) => {
        const paths = diffDrift({ desired: a, observed: b }).map((e) => e.path);
        if (paths.length === 0) return;
        const rule = paths[0]!;
        const rest = diffDrift({ desired: a, observed: b, ignore: compileIgnoreRules([rule]) }).map((e) => e.path);
        expect(rest.some((p) => p === rule || p.startsWith(rule + "/"))).toBe(false);
        expect(rest).toEqual(paths.filter((p) => p !== rule && !p.startsWith(rule + "/")));
      }),
    );
  });

  it("property: secret values never appear in the output, whatever the rest of the config", () => {
    const secretValue = fc.string({ minLength: 1, maxLength: 8 }).map((s) => `SECRET<${s}>`);
    fc.assert(
      fc.property(configObjectWithNulls, configObjectWithNulls, secretValue, secretValue, fc.boolean(), (a, b, s1, s2, drop) => {
        const d: ConfigObject = { ...a, creds: { user: "u", password: s1 } };
        const o: ConfigObject = drop ? { ...b } : { ...b, creds: { user: "v", password: s2 } };
        const out = JSON.stringify(diffDrift({ desired: d, observed: o, secretPaths: ["/creds/password"] }));
        expect(out).not.toContain("SECRET<");
      }),
    );
  });
});

describe("ignore rules", () => {
  it("accepts pointers and globs and refuses the root, relative paths and bad pointers", () => {
    expect(ignoreRuleProblem("/runtime/**")).toBeNull();
    expect(ignoreRuleProblem("/workers/*/pid")).toBeNull();
    expect(ignoreRuleProblem("/a~1b/0")).toBeNull();
    expect(ignoreRuleProblem("")).toMatch(/below the root/);
    expect(ignoreRuleProblem("runtime")).toMatch(/starts with "\/"/);
    expect(ignoreRuleProblem("/a~2")).toMatch(/bad "~" escape/);
  });
});

describe("adoptObserved", () => {
  it("writes the observed values into the overlay so the merge equals the observed config at those paths", () => {
    const base: ConfigObject = { db: { host: "a", port: 1, pool: 5 }, list: [1, 2] };
    const overlay: ConfigObject = { db: { host: "b" } };
    const observed: ConfigObject = { db: { host: "c", port: 1 }, list: [1, 3], added: { x: 1 } };
    const entries = diffDrift({ desired: mergeLayers(base, overlay) as ConfigObject, observed });
    const { overlay: next, adopted } = adoptObserved(overlay, entries, observed);
    expect(adopted).toEqual(entries.map((e) => e.path));
    expect(mergeLayers(base, next)).toEqual(observed);
  });

  it("never adopts a secret", () => {
    const r = adoptObserved({}, [{ path: "/db/password", kind: "changed", secret: true }], { db: { password: "x" } });
    expect(r).toEqual({ overlay: {}, adopted: [], skippedSecrets: ["/db/password"] });
  });
});

describe("hashing observed secrets", () => {
  it("hashes values at the given paths and at keys that look like credentials", () => {
    const v: ConfigObject = { db: { password: "p", host: "h" }, api_key: "k", list: [{ token: "t" }] };
    expect(sensitivePaths(v)).toEqual(["/db/password", "/api_key", childPointer("/list/0", "token")]);
    expect(hashAtPaths(v, sensitivePaths(v), (x) => `h(${String(x)})`)).toEqual({ db: { password: "h(p)", host: "h" }, api_key: "h(k)", list: [{ token: "h(t)" }] });
  });
});

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]));
  return typeof v === "number" && Object.is(v, -0) ? 0 : v;
}
