import { NextRequest } from "next/server";
import { beforeAll, expect, it } from "vitest";
import { GET as configRoute } from "@/app/api/v1/services/[svc]/environments/[env]/config/route";
import { GET as resolvedRoute } from "@/app/api/v1/services/[svc]/environments/[env]/resolved/route";
import { seedDemo } from "@/lib/db/seed";
import { deliveredSecretNames, getResolvedConfig } from "@/lib/server/configs/get-resolved-config";
import { SYSTEM } from "@/lib/server/context";
import { authenticateToken } from "@/lib/server/tokens/authenticate-token";
import { createToken } from "@/lib/server/tokens/create-token";
import { deleteSecret, listSecrets, revealSecret, setSecret } from "@/lib/server/secrets/secrets";
import { admin, configCounts, morgan, olivia } from "../helpers/configs";
import { describeEachDatabase } from "../helpers/db";
import { countRows, query } from "../helpers/rows";

// Values no seed or fixture could contain by accident.
const API_KEY_V1 = "sk-live-7f3a9c1e-first-Q9xZ";
const API_KEY_V2 = "sk-live-0b8d2e4f-second-W2yK";
const DB_PASSWORD = "pw-correct-horse-battery-4471";
const ALL_VALUES = [API_KEY_V1, API_KEY_V2, DB_PASSWORD];

describeEachDatabase("secrets", (db) => {
  const where = { service: "nexus-backend", env: "development" };
  /** Every error message any secret operation produced, checked at the end for leaked values. */
  const messages: string[] = [];
  const failing = async (p: Promise<unknown>) => {
    const e = await p.then(() => null, (err: unknown) => err);
    expect(e, "expected the call to fail").toBeInstanceOf(Error);
    messages.push((e as Error).message, JSON.stringify(e));
    return e as Error;
  };

  beforeAll(async () => {
    await seedDemo(db().db);
  });

  it("sets a secret, sealed: the stored row holds no plaintext, the list no value", async () => {
    expect(await setSecret({ principal: olivia, input: { ...where, name: "api-key", value: API_KEY_V1 } })).toEqual({ name: "api-key", version: 1 });
    const rows = await query(db(), "select * from secret_versions where name = 'api-key'");
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(API_KEY_V1);

    expect(await setSecret({ principal: olivia, input: { ...where, name: "api-key", value: API_KEY_V2 } })).toEqual({ name: "api-key", version: 2 });
    const list = await listSecrets({ principal: morgan, input: where });
    expect(list.map((s) => s.name).sort()).toEqual(["api-key", "db-password"]);
    expect(list.find((s) => s.name === "api-key")).toMatchObject({ version: 2, createdBy: "Olivia" });
    for (const s of list) expect(Object.keys(s).sort()).toEqual(["createdAt", "createdBy", "name", "version"]);
    expect(JSON.stringify(list)).not.toContain(API_KEY_V1);
    expect(JSON.stringify(list)).not.toContain(API_KEY_V2);
  });

  it("reveals the current value to a caller with secrets:read, and audits that it did, without the value", async () => {
    const auditBefore = await countRows(db(), "audit_events");
    expect(await revealSecret({ principal: admin, input: { ...where, name: "api-key" } })).toEqual({ name: "api-key", version: 2, value: API_KEY_V2 });
    const [row] = await query<{ actor_id: string; action: string; target_id: string; before: unknown; after: unknown }>(
      db(),
      "select actor_id, action, target_id, before, after from audit_events order by seq desc limit 1",
    );
    expect(row).toMatchObject({ actor_id: "admin", action: "secret.revealed", target_id: "nexus-backend/development/api-key", before: null, after: { name: "api-key", version: 2 } });
    expect(await countRows(db(), "audit_events")).toBe(auditBefore + 1);
  });

  it("refuses to reveal to an operator or a viewer (no secrets:read), and records nothing", async () => {
    const counts = await configCounts(db());
    for (const who of [olivia, morgan]) {
      const e = await failing(revealSecret({ principal: who, input: { ...where, name: "api-key" } }));
      expect(e.message).toMatch(/secrets:read/);
    }
    expect(await configCounts(db())).toEqual(counts);
  });

  it("substitutes secrets in the resolved config only for an API token with secrets:read; people see placeholders", async () => {
    await setSecret({ principal: olivia, input: { ...where, name: "db-password", value: DB_PASSWORD } });

    const service = await authenticateToken((await createToken({ principal: SYSTEM, input: { name: "svc-secrets", role: "admin", scopes: ["config:read", "secrets:read"] } })).token);
    const full = await getResolvedConfig({ principal: service, input: where });
    expect(full.value).toMatchObject({ database: { password: DB_PASSWORD, host: "localhost" } });
    expect(full.secretsMasked).toBe(false);
    expect(deliveredSecretNames(full)).toEqual(["db-password"]);

    // An admin has secrets:read, yet reads placeholders: a person reveals one secret at a time, audited.
    for (const [who, format] of [[admin, "json"], [morgan, "json"], [olivia, "json"], [morgan, "yaml"], [olivia, "env"]] as const) {
      const masked = await getResolvedConfig({ principal: who, input: { ...where, format } });
      expect(masked.secretsMasked).toBe(true);
      expect(masked.body).not.toContain(DB_PASSWORD);
      expect(masked.body).toContain("•••• (secret db-password)");
      if (format === "json") expect(masked.value).toMatchObject({ database: { password: "•••• (secret db-password)" } });
    }
    const configmap = await getResolvedConfig({ principal: service, input: { ...where, format: "configmap" } });
    expect(configmap.body).not.toContain(DB_PASSWORD);
  });

  it("the routes record a token's first read of each content with secret values, and none for people or 304s", async () => {
    const token = (await createToken({ principal: SYSTEM, input: { name: "svc-routes", role: "admin", scopes: ["config:read", "secrets:read"] } })).token;
    const ctx = { params: Promise.resolve({ svc: where.service, env: where.env }) };
    const get = (h: typeof configRoute, url: string, headers: Record<string, string>) => h(new NextRequest(`http://localhost${url}`, { headers }), ctx);
    const delivered = () => countRows(db(), "audit_events", "action = 'secrets.delivered'");
    const before = await delivered();
    const base = `/api/v1/services/${where.service}/environments/${where.env}`;
    const first = await get(configRoute, `${base}/config?format=yaml`, { authorization: `Bearer ${token}` });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain(DB_PASSWORD);
    expect(await delivered()).toBe(before + 1);
    const again = await get(configRoute, `${base}/config?format=yaml`, { authorization: `Bearer ${token}`, "if-none-match": first.headers.get("etag")! });
    expect(again.status).toBe(304);
    expect((await get(configRoute, `${base}/config?format=yaml`, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect(await delivered()).toBe(before + 1);
    const resolved = await get(resolvedRoute, `${base}/resolved`, { authorization: `Bearer ${token}` });
    expect(JSON.stringify(await resolved.json())).toContain(DB_PASSWORD);
    expect(await delivered()).toBe(before + 2);
    const [row] = await query<{ after: { secrets: string[] } }>(db(), "select after from audit_events where action = 'secrets.delivered' order by seq desc limit 1");
    expect(row!.after.secrets).toEqual(["db-password"]);
    // A token without secrets:read reads placeholders and records nothing.
    const plain = (await createToken({ principal: SYSTEM, input: { name: "svc-plain", role: "viewer", scopes: ["config:read"] } })).token;
    expect(await (await get(configRoute, `${base}/config`, { authorization: `Bearer ${plain}` })).text()).not.toContain(DB_PASSWORD);
    expect(await delivered()).toBe(before + 2);
  });

  it("refuses bad secret operations without echoing the value", async () => {
    expect((await failing(setSecret({ principal: morgan, input: { ...where, name: "api-key", value: API_KEY_V1 } }))).message).toMatch(/secrets:write/);
    await failing(setSecret({ principal: olivia, input: { ...where, name: "API KEY", value: API_KEY_V1 } }));
    await failing(setSecret({ principal: olivia, input: { ...where, service: "no-such-service", name: "api-key", value: API_KEY_V2 } }));
    await failing(setSecret({ principal: olivia, input: { ...where, name: "api-key", value: `${API_KEY_V2}${"x".repeat(64 * 1024)}` } }));
    const referenced = await failing(deleteSecret({ principal: olivia, input: { ...where, name: "db-password" } }));
    expect(referenced.message).toMatch(/still refers to secret db-password/);
    await failing(revealSecret({ principal: admin, input: { ...where, name: "missing" } }));
  });

  it("deletes an unreferenced secret with a tombstone; it is gone from the list", async () => {
    expect(await deleteSecret({ principal: olivia, input: { ...where, name: "api-key" } })).toEqual({ name: "api-key", deleted: true });
    expect((await listSecrets({ principal: olivia, input: where })).map((s) => s.name)).toEqual(["db-password"]);
    await failing(revealSecret({ principal: admin, input: { ...where, name: "api-key" } }));
  });

  it("no audit payload and no error message ever contains a secret value", async () => {
    const rows = await query<{ action: string; payload: string }>(db(), "select action, coalesce(before::text, '') || coalesce(after::text, '') as payload from audit_events");
    const actions = rows.map((r) => r.action);
    for (const a of ["secret.created", "secret.rotated", "secret.revealed", "secret.deleted"]) expect(actions).toContain(a);
    const all = rows.map((r) => r.payload).join("\n");
    expect(messages.length).toBeGreaterThan(5);
    for (const v of ALL_VALUES) {
      expect(all).not.toContain(v);
      for (const m of messages) expect(m).not.toContain(v);
    }
  });
});

