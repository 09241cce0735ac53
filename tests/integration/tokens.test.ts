import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateToken, hashToken, isWellFormedToken, tokenPrefix } from "@/lib/domain/api-token";
import { SYSTEM } from "@/lib/server/context";
import { authenticateToken } from "@/lib/server/tokens/authenticate-token";
import { createToken } from "@/lib/server/tokens/create-token";
import { ensureBootstrapToken } from "@/lib/server/tokens/ensure-bootstrap-token";
import { listTokens } from "@/lib/server/tokens/list-tokens";
import { revokeToken } from "@/lib/server/tokens/revoke-token";
import { describeEachDatabase } from "../helpers/db";
import { expectServiceError, query, snapshot, userPrincipal } from "../helpers/rows";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe("token format", () => {
  it("generates distinct nxs_ tokens whose prefix can be read back", () => {
    const a = generateToken();
    const b = generateToken();
    expect(a.token).toMatch(/^nxs_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(tokenPrefix(a.token)).toBe(a.prefix);
    expect(isWellFormedToken(a.token)).toBe(true);
    expect(hashToken(a.token)).toBe(sha256(a.token));
  });

  it("rejects values that no token could be", () => {
    expect(isWellFormedToken("short")).toBe(false);
    expect(isWellFormedToken("has spaces in it and is long enough")).toBe(false);
    expect(isWellFormedToken("x".repeat(257))).toBe(false);
    expect(tokenPrefix("not-a-nexus-token-but-long-enough")).toBeNull();
  });
});

describeEachDatabase("API tokens", (db) => {
  const input = { name: "ci deploy", role: "operator" as const, scopes: ["config:read" as const, "observed:write" as const] };

  describe("createToken", () => {
    it("returns the secret once and stores only its SHA-256", async () => {
      const before = await snapshot(db());
      const { token, metadata } = await createToken({ principal: SYSTEM, input });
      expect(token).toMatch(/^nxs_/);
      expect(metadata).toMatchObject({
        name: "ci deploy",
        role: "operator",
        scopes: ["config:read", "observed:write"],
        services: null,
        environments: null,
        createdBy: "Nexus",
        status: "active",
        revokedAt: null,
        prefix: tokenPrefix(token),
      });
      expect(Object.keys(metadata)).not.toContain("secretHash");
      expect(JSON.stringify(metadata)).not.toContain(token);
      expect(JSON.stringify(metadata)).not.toContain(sha256(token));
      // 90 days by default.
      const days = (Date.parse(metadata.expiresAt!) - Date.parse(metadata.createdAt)) / 86_400_000;
      expect(days).toBeCloseTo(90, 1);

      const [raw] = await query(db(), `select * from api_tokens where id = '${metadata.id}'`);
      expect(raw).toBeDefined();
      expect(raw!.secret_hash).toBe(sha256(token));
      const secretPart = token.split("_").slice(2).join("_");
      const rawText = JSON.stringify(raw);
      expect(rawText).not.toContain(token);
      expect(rawText).not.toContain(secretPart);

      const after = await snapshot(db());
      expect(after.tokens).toBe(before.tokens + 1);
      expect(after.audit).toBe(before.audit + 1);
    });

    it("never shows the secret again: the list has metadata only", async () => {
      const { token, metadata } = await createToken({ principal: SYSTEM, input: { ...input, name: "listed" } });
      const listed = await listTokens({ principal: SYSTEM, input: undefined });
      const mine = listed.find((t) => t.id === metadata.id);
      expect(mine).toEqual(metadata);
      const text = JSON.stringify(listed);
      expect(text).not.toContain(token);
      expect(text).not.toContain(sha256(token));
    });

    it("keeps the service and environment limits and an explicit no-expiry", async () => {
      const { token, metadata } = await createToken({
        principal: SYSTEM,
        input: { ...input, services: ["api-gateway"], environments: ["staging"], expiresInDays: null },
      });
      expect(metadata).toMatchObject({ services: ["api-gateway"], environments: ["staging"], expiresAt: null });
      const p = await authenticateToken(token);
      expect(p).toMatchObject({
        kind: "token",
        roles: [{ role: "operator", environments: ["staging"] }],
        services: ["api-gateway"],
        environments: ["staging"],
      });
    });

    it("refuses a principal without tokens:manage and writes nothing", async () => {
      const before = await snapshot(db());
      for (const role of ["viewer", "operator", "approver"] as const) {
        await expectServiceError(
          createToken({ principal: userPrincipal(role), input }),
          "forbidden",
          "You do not have the tokens:manage permission.",
        );
      }
      // An admin-role token whose scopes do not include admin is narrowed below tokens:manage.
      const narrow = await createToken({ principal: SYSTEM, input: { name: "narrow", role: "admin", scopes: ["config:read"] } });
      const narrowPrincipal = await authenticateToken(narrow.token);
      const mid = await snapshot(db());
      await expectServiceError(createToken({ principal: narrowPrincipal, input }), "forbidden");
      expect(await snapshot(db())).toEqual(mid);
      expect(mid.tokens).toBe(before.tokens + 1);
      expect(mid.audit).toBe(before.audit + 1);
    });

    it("lets an admin person and an admin token create tokens", async () => {
      const byPerson = await createToken({ principal: userPrincipal("admin"), input: { ...input, name: "by-person" } });
      expect(byPerson.metadata.createdBy).toBe("Test admin");
      const admin = await createToken({ principal: SYSTEM, input: { name: "admin", role: "admin", scopes: ["admin"] } });
      const byToken = await createToken({ principal: await authenticateToken(admin.token), input: { ...input, name: "by-token" } });
      expect(byToken.metadata.createdBy).toMatch(/^token admin \(/);
    });

    it("rejects invalid input and writes nothing", async () => {
      const before = await snapshot(db());
      await expect(
        createToken({ principal: SYSTEM, input: { name: "", role: "root" as "admin", scopes: [] } }),
      ).rejects.toThrow(/give the token a name/);
      await expect(
        createToken({ principal: SYSTEM, input: { ...input, services: ["Not A Name"] } }),
      ).rejects.toThrow(/lower-case letters/);
      expect(await snapshot(db())).toEqual(before);
    });
  });

  describe("authenticateToken", () => {
    it("accepts a valid token as a token principal and records its last use", async () => {
      const { token, metadata } = await createToken({ principal: SYSTEM, input: { ...input, name: "auth-ok" } });
      const p = await authenticateToken(token);
      expect(p).toEqual({
        id: `token:${metadata.id}`,
        kind: "token",
        name: `token auth-ok (${metadata.prefix})`,
        roles: [{ role: "operator", environments: null }],
        scopes: ["config:read", "observed:write"],
        services: null,
        environments: null,
      });
      const [row] = await query<{ last_used_at: unknown }>(db(), `select last_used_at from api_tokens where id = '${metadata.id}'`);
      expect(row!.last_used_at).not.toBeNull();
    });

    it("rejects malformed, unknown, revoked and expired tokens, each with its own clear message", async () => {
      const malformed = await expectServiceError(authenticateToken("not a token"), "unauthenticated", /malformed/);
      const unknown = await expectServiceError(authenticateToken(generateToken().token), "unauthenticated", /not known/);

      const revoked = await createToken({ principal: SYSTEM, input: { ...input, name: "to-revoke" } });
      await revokeToken({ principal: SYSTEM, input: { id: revoked.metadata.id } });
      const revokedErr = await expectServiceError(
        authenticateToken(revoked.token),
        "unauthenticated",
        `The token ${revoked.metadata.prefix} was revoked.`,
      );

      const expired = await createToken({ principal: SYSTEM, input: { ...input, name: "to-expire" } });
      await query(db(), `update api_tokens set expires_at = now() - interval '1 minute' where id = '${expired.metadata.id}'`);
      const expiredErr = await expectServiceError(
        authenticateToken(expired.token),
        "unauthenticated",
        new RegExp(`^The token ${expired.metadata.prefix} expired at \\d{4}-`),
      );
      const listed = await listTokens({ principal: SYSTEM, input: undefined });
      expect(listed.find((t) => t.id === expired.metadata.id)?.status).toBe("expired");

      const messages = [malformed, unknown, revokedErr, expiredErr].map((e) => e.message);
      expect(new Set(messages).size).toBe(4);
      // None of them echoes the secret back.
      for (const m of messages) expect(m).not.toContain(revoked.token.slice(13));
    });

    it("does not accept a token's hash as the token", async () => {
      const { token } = await createToken({ principal: SYSTEM, input: { ...input, name: "hash-as-token" } });
      await expectServiceError(authenticateToken(sha256(token)), "unauthenticated", /not known/);
    });
  });

  describe("revokeToken", () => {
    it("revokes once, with an audit event; a second revoke is a conflict and writes nothing", async () => {
      const { metadata } = await createToken({ principal: SYSTEM, input: { ...input, name: "revoke-me" } });
      const before = await snapshot(db());
      const admin = userPrincipal("admin", "alice-admin");
      const revoked = await revokeToken({ principal: admin, input: { id: metadata.id } });
      expect(revoked).toMatchObject({ id: metadata.id, status: "revoked" });
      expect(revoked.revokedAt).not.toBeNull();

      const mid = await snapshot(db());
      expect(mid).toEqual({ tokens: before.tokens, revoked: before.revoked + 1, audit: before.audit + 1 });
      const [event] = await query<Record<string, unknown>>(db(), "select * from audit_events order by seq desc limit 1");
      expect(event).toMatchObject({ action: "token.revoked", target_id: metadata.id, actor_id: "alice-admin" });
      expect((event!.before as { status: string }).status).toBe("active");
      expect((event!.after as { status: string }).status).toBe("revoked");

      await expectServiceError(
        revokeToken({ principal: admin, input: { id: metadata.id } }),
        "conflict",
        /^token revoke-me was already revoked at \d{4}-/,
      );
      expect(await snapshot(db())).toEqual(mid);
    });

    it("says a token that does not exist is not found", async () => {
      const before = await snapshot(db());
      await expectServiceError(
        revokeToken({ principal: SYSTEM, input: { id: "00000000-0000-4000-8000-000000000000" } }),
        "not_found",
        /does not exist/,
      );
      await expect(revokeToken({ principal: SYSTEM, input: { id: "not-a-uuid" } })).rejects.toThrow(/token ids are UUIDs/);
      expect(await snapshot(db())).toEqual(before);
    });

    it("refuses a principal without tokens:manage and leaves the token active", async () => {
      const { token, metadata } = await createToken({ principal: SYSTEM, input: { ...input, name: "keep-me" } });
      const before = await snapshot(db());
      await expectServiceError(
        revokeToken({ principal: userPrincipal("operator"), input: { id: metadata.id } }),
        "forbidden",
        /tokens:manage/,
      );
      // A token cannot revoke itself without the permission either.
      await expectServiceError(
        revokeToken({ principal: await authenticateToken(token), input: { id: metadata.id } }),
        "forbidden",
      );
      expect(await snapshot(db())).toEqual(before);
      await expect(authenticateToken(token)).resolves.toMatchObject({ kind: "token" });
    });
  });

  describe("ensureBootstrapToken", () => {
    const secret = "bootstrap-secret-for-tests-0123456789";

    it("creates an admin token once, then is idempotent", async () => {
      const before = await snapshot(db());
      expect(await ensureBootstrapToken(secret)).toBe("created");
      expect(await snapshot(db())).toEqual({ ...before, tokens: before.tokens + 1, audit: before.audit + 1 });

      expect(await ensureBootstrapToken(secret)).toBe("exists");
      expect(await ensureBootstrapToken(secret)).toBe("exists");
      expect(await snapshot(db())).toEqual({ ...before, tokens: before.tokens + 1, audit: before.audit + 1 });

      const rows = await query<Record<string, unknown>>(db(), `select * from api_tokens where secret_hash = '${sha256(secret)}'`);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ name: "bootstrap", role: "admin", scopes: ["admin"], revoked_at: null });
      expect(JSON.stringify(rows[0])).not.toContain(secret);

      const p = await authenticateToken(secret);
      expect(p.roles).toEqual([{ role: "admin", environments: null }]);
      expect(p.scopes).toEqual(["admin"]);
      // It is a real admin: it may create tokens.
      await expect(createToken({ principal: p, input: { ...input, name: "from-bootstrap" } })).resolves.toBeDefined();
    });

    it("leaves a revoked bootstrap token revoked", async () => {
      const [row] = await query<{ id: string }>(db(), `select id from api_tokens where secret_hash = '${sha256(secret)}'`);
      await revokeToken({ principal: SYSTEM, input: { id: row!.id } });
      const [revokedRow] = await query<{ revoked_at: unknown }>(db(), `select revoked_at from api_tokens where id = '${row!.id}'`);
      const before = await snapshot(db());

      expect(await ensureBootstrapToken(secret)).toBe("revoked");
      expect(await snapshot(db())).toEqual(before);
      const [still] = await query<{ revoked_at: unknown }>(db(), `select revoked_at from api_tokens where id = '${row!.id}'`);
      expect(still!.revoked_at).toEqual(revokedRow!.revoked_at);
      await expectServiceError(authenticateToken(secret), "unauthenticated", /was revoked/);
    });

    it("refuses a secret too weak to be a token, and writes nothing", async () => {
      const before = await snapshot(db());
      await expectServiceError(ensureBootstrapToken("short"), "invalid", /NEXUS_BOOTSTRAP_TOKEN must be 24 to 256/);
      await expectServiceError(ensureBootstrapToken("spaces are not allowed in a token"), "invalid");
      expect(await snapshot(db())).toEqual(before);
    });
  });
});
