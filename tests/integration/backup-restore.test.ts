import { afterAll, beforeAll, expect, it } from "vitest";
import { useDatabase as installDatabase, type DatabaseHandle } from "@/lib/db/client";
import { seedDemo } from "@/lib/db/seed";
import { verifyAuditChain } from "@/lib/server/audit/verify-audit-chain";
import { BACKUP_TABLES, schemaTables } from "@/lib/server/backup/tables";
import { writeBundle } from "@/lib/server/backup/create-backup";
import { restoreBackup, type RestoreReport } from "@/lib/server/backup/restore-backup";
import { getResolvedConfig } from "@/lib/server/configs/get-resolved-config";
import { SYSTEM } from "@/lib/server/context";
import { ServiceError } from "@/lib/server/errors";
import { setSecret } from "@/lib/server/secrets/secrets";
import { authenticateToken } from "@/lib/server/tokens/authenticate-token";
import { createToken } from "@/lib/server/tokens/create-token";
import { ensureBootstrapToken } from "@/lib/server/tokens/ensure-bootstrap-token";
import { openEndpointSecret } from "@/lib/server/webhooks/endpoint-secret";
import { createEndpoint } from "@/lib/server/webhooks/create-endpoint";
import { createTestDatabase, describeEachDatabase } from "../helpers/db";
import { admin, alice, approveAndApply, bob, editOverlay, olivia, promote } from "../helpers/promotions";
import { countRows, query } from "../helpers/rows";

async function* linesOf(text: string) {
  for (const line of text.split("\n")) if (line) yield line;
}

async function backupText(h: DatabaseHandle): Promise<string> {
  let text = "";
  await writeBundle(h.db, (chunk) => void (text += chunk));
  return text;
}

async function everyResolvedConfig(h: DatabaseHandle) {
  const pairs = await query<{ svc: string; env: string }>(h, "select s.name as svc, e.name as env from services s cross join environments e order by 1, 2");
  const out: Record<string, unknown> = {};
  for (const { svc, env } of pairs) {
    const r = await getResolvedConfig({ principal: SYSTEM, input: { service: svc, env } });
    out[`${svc}/${env}`] = { value: r.value };
  }
  return out;
}

const isRefusal = (e: unknown): e is ServiceError & { details: { report: RestoreReport } } => e instanceof ServiceError;

describeEachDatabase("backup and restore", (source, kind) => {
  let target: DatabaseHandle;
  let bundle: string;
  let token: string;
  let webhookSecret: string;

  beforeAll(async () => {
    await seedDemo(source().db);
    // Activity beyond the seed: saves, a secret rotation, an applied promotion, a token, a webhook.
    await editOverlay("redis", "development", (s) => `${s}extra:\n  note: restored\n`);
    await setSecret({ principal: olivia, input: { service: "nexus-backend", env: "development", name: "db-password", value: "pw-rotated-1234" } });
    const cr = await promote(["redis"], "development", "staging");
    await approveAndApply(cr.id, [alice]);
    await promote(["redis"], "staging", "production"); // left open
    token = (await createToken({ principal: admin, input: { name: "ci", role: "operator", scopes: ["config:read"] } })).token;
    webhookSecret = (await createEndpoint({ principal: admin, input: { name: "hook", url: "https://hooks.example/x", eventTypes: ["*"] } })).secret;
    void bob;
    bundle = await backupText(source());
    target = await createTestDatabase(kind);
  });
  afterAll(async () => {
    installDatabase(source());
    await target?.close();
  });

  /** Runs `work` with the target installed as the process's database. */
  async function onTarget<T>(work: () => Promise<T>): Promise<T> {
    installDatabase(target);
    try {
      return await work();
    } finally {
      installDatabase(source());
    }
  }

  it("every table of the schema is either backed up or left out on purpose", () => {
    const listed = new Set(BACKUP_TABLES.map((t) => t.name));
    const missing = [...schemaTables().keys()].filter((n) => !listed.has(n));
    expect(missing, "add these tables to BACKUP_TABLES (include: true for configuration, false for results)").toEqual([]);
  });

  it("a dry run reports counts and integrity and changes nothing", async () => {
    const report = await onTarget(() => restoreBackup({ principal: admin, input: { lines: linesOf(bundle), dryRun: true } }));
    expect(report).toMatchObject({ dryRun: true, restored: false, ok: true, target: { empty: true, blockers: [] }, bundle: { format: "nexus-backup", version: 1 } });
    expect(report.integrity.checksum).toBe("ok");
    expect(report.integrity.auditChain).toMatchObject({ ok: true });
    expect(report.integrity.revisionHashes.checked).toBe(await countRows(source(), "config_revisions"));
    expect(report.integrity.revisionHashes.mismatches).toEqual([]);
    expect(report.integrity.masterKey).toBe("opens the bundle's secrets");
    expect(report.counts.services).toBe(await countRows(source(), "services"));
    expect(report.counts.audit_events).toBe(await countRows(source(), "audit_events"));
    for (const t of ["environments", "services", "config_revisions", "audit_events", "api_tokens", "webhook_endpoints"]) expect(await countRows(target, t)).toBe(0);
  });

  it("refuses a damaged bundle (a revision edited, or truncated) and writes nothing", async () => {
    const lines = bundle.split("\n");
    const i = lines.findIndex((l) => l.startsWith('{"t":"config_revisions"') && l.includes("restored"));
    expect(i).toBeGreaterThan(0);
    const edited = [...lines];
    edited[i] = edited[i]!.replaceAll("restored", "tampered");
    const e1 = await onTarget(() => restoreBackup({ principal: admin, input: { lines: linesOf(edited.join("\n")), dryRun: false } })).catch((e: unknown) => e);
    expect(isRefusal(e1) && e1.code).toBe("invalid");
    const r1 = (e1 as ServiceError & { details: { report: RestoreReport } }).details.report;
    expect(r1.integrity.revisionHashes.mismatches).toHaveLength(1);
    expect(r1.integrity.checksum).toBe("mismatch");

    const truncated = lines.slice(0, Math.floor(lines.length / 2)).join("\n");
    const r2 = await onTarget(() => restoreBackup({ principal: admin, input: { lines: linesOf(truncated), dryRun: true } }));
    expect(r2.ok).toBe(false);
    expect(r2.problems.join(" ")).toMatch(/truncated/);
    expect(await countRows(target, "services")).toBe(0);
  });

  it("refuses to restore into an instance that holds data (409), changing nothing", async () => {
    const before = await countRows(source(), "audit_events");
    const e = await restoreBackup({ principal: admin, input: { lines: linesOf(bundle), dryRun: false } }).catch((x: unknown) => x);
    expect(isRefusal(e) && e.code).toBe("conflict");
    expect((e as Error).message).toMatch(/environments holds 3 rows/);
    expect(await countRows(source(), "audit_events")).toBe(before);
    await expect(restoreBackup({ principal: olivia, input: { lines: linesOf(bundle), dryRun: true } })).rejects.toThrow(/settings:manage/);
  });

  it("restores into a freshly booted instance: every resolved config, revision hash and the audit chain identical; tokens and secrets work", async () => {
    // A fresh boot with NEXUS_BOOTSTRAP_TOKEN, and someone signed in: still empty.
    await onTarget(() => ensureBootstrapToken("bootstrap-secret-for-restore-test-0001"));
    const report = await onTarget(() => restoreBackup({ principal: admin, input: { lines: linesOf(bundle), dryRun: false } }));
    expect(report).toMatchObject({ ok: true, restored: true, target: { replaced: { tokens: 1, auditEvents: 1 } } });

    expect(await onTarget(() => everyResolvedConfig(target))).toEqual(await everyResolvedConfig(source()));
    const revs = (h: DatabaseHandle) => query(h, "select id, layer_id, number, hash, source, value::text as value, created_at from config_revisions order by id");
    expect(await revs(target)).toEqual(await revs(source()));
    const heads = (h: DatabaseHandle) => query(h, "select id, head_revision_id, head_number from config_layers order by id");
    expect(await heads(target)).toEqual(await heads(source()));

    const audit = (h: DatabaseHandle) => query(h, "select * from audit_events order by seq");
    const srcAudit = await audit(source());
    const dstAudit = await audit(target);
    expect(dstAudit.slice(0, srcAudit.length)).toEqual(srcAudit);
    expect(dstAudit).toHaveLength(srcAudit.length + 1);
    expect(dstAudit.at(-1)).toMatchObject({ action: "backup.restored", actor_id: "admin", prev_hash: srcAudit.at(-1)!.hash });
    const srcVerdict = await verifyAuditChain({ principal: admin, input: undefined });
    const dstVerdict = await onTarget(() => verifyAuditChain({ principal: admin, input: undefined }));
    expect(srcVerdict).toMatchObject({ ok: true, checked: srcAudit.length });
    expect(dstVerdict).toMatchObject({ ok: true, checked: srcAudit.length + 1 });

    // Tokens keep working (their hashes were restored); sealed secrets still open under the same key.
    expect((await onTarget(() => authenticateToken(token))).name).toMatch(/^token ci /);
    const [ep] = await query<{ id: string; secret_version: number; secret_ciphertext: string }>(target, "select * from webhook_endpoints");
    expect(openEndpointSecret({ id: ep!.id, secretVersion: ep!.secret_version, secretCiphertext: ep!.secret_ciphertext })).toBe(webhookSecret);
    // Serial numbers continue after the restored ones.
    const cr = await onTarget(async () => {
      await editOverlay("postgres", "development", (s) => `${s}after_restore: true\n`);
      return promote(["postgres"], "development", "staging");
    });
    const [max] = await query<{ n: number }>(source(), "select max(number)::int as n from change_requests");
    expect(cr.number).toBe(Number(max!.n) + 1);
    // Not backed up: results and queues.
    expect(await countRows(target, "outbox_events", "type not in ('change_request.opened', 'config.saved')")).toBe(0);
  });
});
