import { createHash } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { auditEvents } from "@/drizzle/schema";
import type { Principal } from "@/lib/auth/permissions";
import { auditEventHash } from "@/lib/domain/audit-chain";
import { REDACTED } from "@/lib/domain/redact";
import { recordAuditEvent, type AuditInput } from "@/lib/server/audit/record-audit-event";
import { verifyAuditChain } from "@/lib/server/audit/verify-audit-chain";
import { SYSTEM, type RequestMeta } from "@/lib/server/context";
import { authenticateToken } from "@/lib/server/tokens/authenticate-token";
import { createToken } from "@/lib/server/tokens/create-token";
import { ensureBootstrapToken } from "@/lib/server/tokens/ensure-bootstrap-token";
import { revokeToken } from "@/lib/server/tokens/revoke-token";
import { describeEachDatabase } from "../helpers/db";
import {
  bypassingAuditTrigger,
  countRows,
  databaseError,
  expectServiceError,
  query,
  snapshot,
  userPrincipal,
  withFailingAudit,
} from "../helpers/rows";
import type { DatabaseHandle } from "@/lib/db/client";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const tokenInput = { name: "audited", role: "viewer" as const, scopes: ["config:read" as const] };

async function record(handle: DatabaseHandle, principal: Principal, event: AuditInput, meta?: RequestMeta) {
  return handle.db.transaction((t) => recordAuditEvent(t, principal, event, meta));
}

async function lastEvent(handle: DatabaseHandle) {
  const [row] = await handle.db.select().from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
  return row!;
}

describeEachDatabase("audit events of mutations", (db, kind) => {
  it("writes exactly one event per mutation, none for a refused or failed one, and the chain verifies", async () => {
    const admin = userPrincipal("admin", "audit-admin");
    const meta = { requestId: "req-123", ip: "203.0.113.9", userAgent: "vitest" };
    const start = await countRows(db(), "audit_events");
    const actions = async () =>
      (await query<{ action: string }>(db(), `select action from audit_events where seq > 0 order by seq`))
        .slice(start)
        .map((r) => r.action);

    const { token, metadata } = await createToken({ principal: admin, input: tokenInput, meta });
    expect(await actions()).toEqual(["token.created"]);
    const created = await lastEvent(db());
    expect(created).toMatchObject({
      actorId: "audit-admin",
      actorKind: "user",
      actorName: "Test admin",
      action: "token.created",
      targetType: "token",
      targetId: metadata.id,
      requestId: "req-123",
      ip: "203.0.113.9",
      userAgent: "vitest",
    });
    expect(created.after).toMatchObject({ id: metadata.id, name: "audited", role: "viewer" });
    // Neither the secret nor its hash reaches the audit trail.
    const text = JSON.stringify(await query(db(), `select * from audit_events where seq = ${created.seq}`));
    expect(text).not.toContain(token);
    expect(text).not.toContain(sha256(token));

    await expectServiceError(createToken({ principal: userPrincipal("viewer"), input: tokenInput }), "forbidden");
    await expect(createToken({ principal: admin, input: { ...tokenInput, scopes: [] } })).rejects.toThrow();
    expect(await actions()).toEqual(["token.created"]);

    await revokeToken({ principal: admin, input: { id: metadata.id }, meta });
    await expectServiceError(revokeToken({ principal: admin, input: { id: metadata.id } }), "conflict");
    expect(await actions()).toEqual(["token.created", "token.revoked"]);

    expect(await ensureBootstrapToken("audit-bootstrap-secret-000000000")).toBe("created");
    expect(await ensureBootstrapToken("audit-bootstrap-secret-000000000")).toBe("exists");
    expect(await actions()).toEqual(["token.created", "token.revoked", "token.created"]);
    expect(await lastEvent(db())).toMatchObject({ actorId: "system", actorKind: "system", action: "token.created" });

    const verdict = await verifyAuditChain({ principal: admin, input: undefined });
    expect(verdict).toMatchObject({ ok: true, checked: await countRows(db(), "audit_events") });
  });

  it("rolls the audit event back with the mutation when the caller's transaction fails", async () => {
    const before = await snapshot(db());
    await expect(
      db().db.transaction(async (tx) => {
        await createToken({ principal: SYSTEM, input: tokenInput, tx });
        expect(await countRows({ db: tx }, "audit_events")).toBe(before.audit + 1);
        // PGlite has one connection, busy with this transaction; PostgreSQL shows others nothing yet.
        if (kind === "postgres") expect(await countRows(db(), "audit_events")).toBe(before.audit);
        throw new Error("the caller gives up");
      }),
    ).rejects.toThrow("the caller gives up");
    expect(await snapshot(db())).toEqual(before);
  });

  it("rolls the mutation back when its audit event cannot be written", async () => {
    const { token, metadata } = await createToken({ principal: SYSTEM, input: { ...tokenInput, name: "survivor" } });
    const before = await snapshot(db());

    await withFailingAudit(db(), "token.created", async () => {
      await expect(createToken({ principal: SYSTEM, input: tokenInput })).rejects.toThrow();
      await expect(ensureBootstrapToken("never-created-bootstrap-secret-0000")).rejects.toThrow();
    });
    await withFailingAudit(db(), "token.revoked", async () => {
      await expect(revokeToken({ principal: SYSTEM, input: { id: metadata.id } })).rejects.toThrow();
    });

    expect(await snapshot(db())).toEqual(before);
    await expect(authenticateToken(token)).resolves.toMatchObject({ kind: "token" });
    expect(await verifyAuditChain({ principal: SYSTEM, input: undefined })).toMatchObject({ ok: true });
  });
});

describeEachDatabase("the audit table is append-only", (db) => {
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      await record(db(), SYSTEM, { action: "test.event", targetType: "test", targetId: String(i) });
    }
  });

  it.each([
    ["UPDATE", "update audit_events set action = 'forged'"],
    ["DELETE", "delete from audit_events"],
    ["TRUNCATE", "truncate audit_events"],
  ])("rejects %s in the database itself", async (op, statement) => {
    const before = await query(db(), "select * from audit_events order by seq");
    expect(before.length).toBe(3);
    const err = await query(db(), statement).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err, `${op} should have been rejected`).not.toBeNull();
    const { message, code } = databaseError(err);
    expect(message).toBe(`audit_events is append-only: ${op} is not allowed`);
    expect(code).toBe("42501");
    expect(await query(db(), "select * from audit_events order by seq")).toEqual(before);
  });

  it("rejects an UPDATE inside a transaction too, and keeps the chain intact", async () => {
    await expect(
      db().db.transaction(async (t) => {
        await recordAuditEvent(t, SYSTEM, { action: "test.event", targetType: "test", targetId: "in-tx" });
        await t.execute(sql`update audit_events set actor_name = 'someone else' where target_id = 'in-tx'`);
      }),
    ).rejects.toThrow();
    expect(await countRows(db(), "audit_events", "target_id = 'in-tx'")).toBe(0);
    expect(await verifyAuditChain({ principal: SYSTEM, input: undefined })).toMatchObject({ ok: true, checked: 3 });
  });
});

describeEachDatabase("the audit chain detects tampering by the database owner", (db) => {
  let seqs: number[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 5; i++) {
      await record(db(), userPrincipal("operator", "olivia"), {
        action: "config.saved",
        targetType: "layer",
        targetId: `layer-${i}`,
        service: "api-gateway",
        environment: "staging",
        before: { replicas: i },
        after: { replicas: i + 1 },
      });
    }
    seqs = (await query<{ seq: string | number }>(db(), "select seq from audit_events order by seq")).map((r) => Number(r.seq));
    expect(seqs).toHaveLength(5);
  });

  const verify = () => verifyAuditChain({ principal: SYSTEM, input: undefined });
  const save = (seq: number) => `create table audit_saved as select * from audit_events where seq = ${seq}`;
  const cleanUp = "drop table if exists audit_saved";

  it("verifies the untouched chain", async () => {
    expect(await verify()).toMatchObject({ ok: true, checked: 5 });
  });

  it("detects a modified row at its own seq", async () => {
    const target = seqs[2]!;
    await bypassingAuditTrigger(db(), [
      save(target),
      `update audit_events set after = '{"replicas": 99}'::jsonb where seq = ${target}`,
    ]);
    try {
      const verdict = await verify();
      expect(verdict).toMatchObject({ ok: false, brokenAtSeq: target, checked: 2 });
      expect(verdict.ok === false && verdict.reason).toMatch(`event #${target} was modified after it was written`);
    } finally {
      await bypassingAuditTrigger(db(), [
        `update audit_events a set after = s.after from audit_saved s where a.seq = s.seq`,
        cleanUp,
      ]);
    }
    expect(await verify()).toMatchObject({ ok: true, checked: 5 });
  });

  it("detects a modified row whose hash was recomputed, at the next seq", async () => {
    const target = seqs[1]!;
    const [row] = await db().db.select().from(auditEvents).where(eq(auditEvents.seq, target));
    const { seq: _s, prevHash, hash: _h, ...content } = row!;
    const forgedHash = auditEventHash(prevHash, { ...content, occurredAt: row!.occurredAt.toISOString(), actorName: "Mallory" });
    await bypassingAuditTrigger(db(), [
      save(target),
      `update audit_events set actor_name = 'Mallory', hash = '${forgedHash}' where seq = ${target}`,
    ]);
    try {
      const verdict = await verify();
      expect(verdict).toMatchObject({ ok: false, brokenAtSeq: seqs[2], checked: 2 });
      expect(verdict.ok === false && verdict.reason).toMatch(/does not follow the previous event/);
    } finally {
      await bypassingAuditTrigger(db(), [
        `update audit_events a set actor_name = s.actor_name, hash = s.hash from audit_saved s where a.seq = s.seq`,
        cleanUp,
      ]);
    }
    expect(await verify()).toMatchObject({ ok: true, checked: 5 });
  });

  it("detects a deleted row at the seq that follows it", async () => {
    const target = seqs[2]!;
    await bypassingAuditTrigger(db(), [save(target), `delete from audit_events where seq = ${target}`]);
    try {
      expect(await countRows(db(), "audit_events")).toBe(4);
      const verdict = await verify();
      expect(verdict).toMatchObject({ ok: false, brokenAtSeq: seqs[3], checked: 2 });
      expect(verdict.ok === false && verdict.reason).toMatch(/a row before it was removed or altered/);
    } finally {
      await query(db(), "insert into audit_events select * from audit_saved");
      await query(db(), cleanUp);
    }
    expect(await verify()).toMatchObject({ ok: true, checked: 5 });
  });

  it("detects deleting the newest row, at the recorded head", async () => {
    const target = seqs[4]!;
    await bypassingAuditTrigger(db(), [save(target), `delete from audit_events where seq = ${target}`]);
    try {
      const verdict = await verify();
      expect(verdict).toMatchObject({ ok: false, brokenAtSeq: target, checked: 4 });
      expect(verdict.ok === false && verdict.reason).toMatch(/the newest events were removed/);
    } finally {
      await query(db(), "insert into audit_events select * from audit_saved");
      await query(db(), cleanUp);
    }
    expect(await verify()).toMatchObject({ ok: true, checked: 5 });
  });

  it("needs audit:read to verify", async () => {
    await expectServiceError(
      verifyAuditChain({ principal: { ...userPrincipal("viewer"), roles: [] }, input: undefined }),
      "forbidden",
      /audit:read/,
    );
  });
});

describeEachDatabase("redaction and round-trips of audit payloads", (db) => {
  it("stores token, secret and password members redacted, at any depth", async () => {
    const { seq } = await record(db(), SYSTEM, {
      action: "test.redaction",
      targetType: "test",
      targetId: "r1",
      before: { password: "hunter2", keep: "visible-before" },
      after: {
        name: "kept",
        token: "nxs_abcdefgh_0123456789012345678901234567890123456789abc",
        nested: { Secret: "s3cr3t-value", list: [{ password: "p4ss-word", port: 5432 }] },
        secretHash: "deadbeef-hash",
        private_key: "-----BEGIN KEY-----",
      },
    });
    const [row] = await query<{ before: unknown; after: unknown }>(db(), `select before, after from audit_events where seq = ${seq}`);
    expect(row!.before).toEqual({ password: REDACTED, keep: "visible-before" });
    expect(row!.after).toEqual({
      name: "kept",
      token: REDACTED,
      nested: { Secret: REDACTED, list: [{ password: REDACTED, port: 5432 }] },
      secretHash: REDACTED,
      private_key: REDACTED,
    });
    const text = JSON.stringify(row);
    for (const leaked of ["hunter2", "nxs_abcdefgh", "s3cr3t-value", "p4ss-word", "deadbeef-hash", "BEGIN KEY"]) {
      expect(text).not.toContain(leaked);
    }
    expect(await verifyAuditChain({ principal: SYSTEM, input: undefined })).toMatchObject({ ok: true });
  });

  it("verifies payloads that jsonb normalises (key order, numbers, unicode, undefined members)", async () => {
    await record(
      db(),
      SYSTEM,
      {
        action: "test.roundtrip",
        targetType: "test",
        targetId: "r2",
        before: undefined,
        after: {
          zeta: 1,
          alpha: { b: [3, 2, 1], a: null },
          sum: 0.1 + 0.2,
          tiny: 1e-7,
          big: 12345678901234567890,
          text: 'ünïcode 日本語 "quoted" \\ back\nslash',
          empty: {},
          list: [null, true, [], "x"],
          gone: undefined,
        },
      },
      { requestId: "r-2", ip: "::1", userAgent: "agent/1.0" },
    );
    expect(await verifyAuditChain({ principal: SYSTEM, input: undefined })).toMatchObject({ ok: true, checked: 2 });
  });
});
