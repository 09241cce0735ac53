import "server-only";
import { asc, eq, gt } from "drizzle-orm";
import { auditChainHead, auditEvents } from "@/drizzle/schema";
import { ChainVerifier, type ChainVerdict } from "@/lib/domain/audit-chain";
import { authorize, reader, type UseCaseArgs } from "../context";

const BATCH = 2000;

/** Recomputes every hash of the audit chain, in order, in batches, and checks the recorded head. */
export async function verifyAuditChain({ principal, tx }: UseCaseArgs<void>): Promise<ChainVerdict & { verifiedAt: string }> {
  authorize(principal, "audit:read");
  const db = await reader(tx);
  const verifier = new ChainVerifier();
  let after = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, after))
      .orderBy(asc(auditEvents.seq))
      .limit(BATCH);
    let ok = true;
    for (const r of rows) {
      ok = verifier.push({ ...r, occurredAt: r.occurredAt.toISOString() });
      if (!ok) break;
    }
    if (!ok || rows.length < BATCH) break;
    after = rows[rows.length - 1]!.seq;
  }
  const [head] = await db.select().from(auditChainHead).where(eq(auditChainHead.id, 1));
  return { ...verifier.finish(head ?? null), verifiedAt: new Date().toISOString() };
}
