import "server-only";
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { auditChainHead, auditEvents } from "@/drizzle/schema";
import type { Principal } from "@/lib/auth/permissions";
import { auditEventHash, GENESIS_HASH, type AuditContent } from "@/lib/domain/audit-chain";
import { redactSecrets } from "@/lib/domain/redact";
import type { Transaction } from "@/lib/db/client";
import { NO_REQUEST, type RequestMeta } from "../context";

// Appends to the chain one at a time: the lock is held until the surrounding transaction ends.
const AUDIT_CHAIN_LOCK = 7_164_030;

export interface AuditInput {
  action: string;
  targetType: string;
  targetId: string;
  service?: string | null;
  environment?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Writes one audit event inside the caller's transaction, chained to the previous one. */
export async function recordAuditEvent(
  tx: Transaction,
  principal: Principal,
  event: AuditInput,
  meta: RequestMeta = NO_REQUEST,
): Promise<{ id: string; seq: number; hash: string }> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [head] = await tx.select().from(auditChainHead).where(eq(auditChainHead.id, 1));
  const prevHash = head?.hash ?? GENESIS_HASH;

  const occurredAt = new Date();
  const content: AuditContent = {
    id: randomUUID(),
    occurredAt: occurredAt.toISOString(),
    actorId: principal.id,
    actorKind: principal.kind,
    actorName: principal.name,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    service: event.service ?? null,
    environment: event.environment ?? null,
    before: normalize(event.before),
    after: normalize(event.after),
    requestId: meta.requestId,
    ip: meta.ip,
    userAgent: meta.userAgent,
  };
  const hash = auditEventHash(prevHash, content);
  const [row] = await tx
    .insert(auditEvents)
    .values({ ...content, actorKind: principal.kind, occurredAt, prevHash, hash })
    .returning({ seq: auditEvents.seq });
  const seq = row!.seq;
  const count = (head?.count ?? 0) + 1;
  await tx
    .insert(auditChainHead)
    .values({ id: 1, seq, hash, count })
    .onConflictDoUpdate({ target: auditChainHead.id, set: { seq, hash, count } });
  return { id: content.id, seq, hash };
}

/** What is hashed must be exactly what jsonb gives back: plain JSON, secrets redacted. */
function normalize(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(redactSecrets(value))) as unknown;
}
