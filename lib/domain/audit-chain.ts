import { canonicalJson, sha256Hex } from "./canonical-json";

/** The hash that stands before the first event of a chain. */
export const GENESIS_HASH = "0".repeat(64);

/** What an audit event's hash covers: everything it says, in canonical form. */
export interface AuditContent {
  id: string;
  occurredAt: string; // ISO 8601, millisecond precision
  actorId: string;
  actorKind: string;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string;
  service: string | null;
  environment: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}

export function auditEventHash(prevHash: string, content: AuditContent): string {
  return sha256Hex(`${prevHash}\n${canonicalJson(content)}`);
}

export interface ChainRow extends AuditContent {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface ChainHead {
  seq: number;
  hash: string;
  count: number;
}

export type ChainVerdict =
  | { ok: true; checked: number; headHash: string }
  | { ok: false; checked: number; brokenAtSeq: number | null; reason: string };

/**
 * Walks the chain in order. A modified row no longer matches its own hash; a deleted row leaves the
 * next row pointing at a hash that is not its predecessor's; deleting the newest rows is caught by
 * the head record written with every event.
 */
export class ChainVerifier {
  private prev = GENESIS_HASH;
  private checked = 0;
  private failure: ChainVerdict | null = null;

  push(row: ChainRow): boolean {
    if (this.failure) return false;
    if (row.prevHash !== this.prev) {
      this.failure = {
        ok: false,
        checked: this.checked,
        brokenAtSeq: row.seq,
        reason: `event #${row.seq} does not follow the previous event: a row before it was removed or altered`,
      };
      return false;
    }
    const { seq: _seq, prevHash: _p, hash: _h, ...content } = row;
    if (auditEventHash(row.prevHash, content) !== row.hash) {
      this.failure = {
        ok: false,
        checked: this.checked,
        brokenAtSeq: row.seq,
        reason: `event #${row.seq} was modified after it was written: its content no longer matches its hash`,
      };
      return false;
    }
    this.prev = row.hash;
    this.checked += 1;
    return true;
  }

  finish(head: ChainHead | null): ChainVerdict {
    if (this.failure) return this.failure;
    if (head === null) {
      return this.checked === 0
        ? { ok: true, checked: 0, headHash: GENESIS_HASH }
        : { ok: false, checked: this.checked, brokenAtSeq: null, reason: "the chain head record is missing" };
    }
    if (head.hash !== this.prev || head.count !== this.checked) {
      return {
        ok: false,
        checked: this.checked,
        brokenAtSeq: head.seq,
        reason: `the chain ends before its recorded head (event #${head.seq}, ${head.count} events): the newest events were removed`,
      };
    }
    return { ok: true, checked: this.checked, headHash: this.prev };
  }
}

export function verifyChain(rows: Iterable<ChainRow>, head: ChainHead | null): ChainVerdict {
  const v = new ChainVerifier();
  for (const row of rows) if (!v.push(row)) break;
  return v.finish(head);
}
