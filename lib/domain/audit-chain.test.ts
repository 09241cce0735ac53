import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { auditEventHash, GENESIS_HASH, verifyChain, type AuditContent, type ChainRow } from "./audit-chain";

function content(i: number, extra: Partial<AuditContent> = {}): AuditContent {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    occurredAt: new Date(1_700_000_000_000 + i * 1000).toISOString(),
    actorId: "olivia",
    actorKind: "user",
    actorName: "Olivia",
    action: "config.saved",
    targetType: "layer",
    targetId: `layer-${i}`,
    service: "api-gateway",
    environment: "staging",
    before: { a: i },
    after: { a: i + 1 },
    requestId: null,
    ip: null,
    userAgent: null,
    ...extra,
  };
}

function chain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const c = content(i);
    const hash = auditEventHash(prev, c);
    rows.push({ ...c, seq: i, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

const headOf = (rows: ChainRow[]) => ({ seq: rows.at(-1)!.seq, hash: rows.at(-1)!.hash, count: rows.length });

describe("audit hash chain", () => {
  it("verifies an intact chain", () => {
    const rows = chain(5);
    expect(verifyChain(rows, headOf(rows))).toMatchObject({ ok: true, checked: 5 });
  });

  it("verifies an empty chain without a head", () => {
    expect(verifyChain([], null)).toMatchObject({ ok: true, checked: 0 });
  });

  it("detects a modified row", () => {
    const rows = chain(5);
    const head = headOf(rows);
    rows[2] = { ...rows[2]!, after: { a: 999 } };
    expect(verifyChain(rows, head)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });

  it("detects a deleted row in the middle", () => {
    const rows = chain(5);
    const head = headOf(rows);
    rows.splice(1, 1);
    expect(verifyChain(rows, head)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });

  it("detects deleted newest rows through the head", () => {
    const rows = chain(5);
    const head = headOf(rows);
    expect(verifyChain(rows.slice(0, 3), head)).toMatchObject({ ok: false });
  });

  it("detects any single-field change anywhere (property)", () => {
    const rows = chain(8);
    const head = headOf(rows);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.constantFrom<keyof AuditContent>("actorId", "action", "targetId", "environment", "ip"), fc.string({ minLength: 1 }), (idx, field, value) => {
        const copy = rows.map((r) => ({ ...r }));
        if (copy[idx]![field] === value) return;
        (copy[idx] as unknown as Record<string, unknown>)[field] = value;
        expect(verifyChain(copy, head).ok).toBe(false);
      }),
    );
  });

  it("hash does not depend on key order of payloads", () => {
    const a = auditEventHash(GENESIS_HASH, content(1, { after: { x: 1, y: { b: 2, a: 1 } } }));
    const b = auditEventHash(GENESIS_HASH, content(1, { after: { y: { a: 1, b: 2 }, x: 1 } }));
    expect(a).toBe(b);
  });
});
