import { NextRequest } from "next/server";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as exportRoute } from "@/app/api/v1/audit/export/route";
import type { Principal } from "@/lib/auth/permissions";
import type { DatabaseHandle } from "@/lib/db/client";
import { CSV_COLUMNS, neutralizeFormula } from "@/lib/server/audit/audit-export-format";
import { exportAuditEvents } from "@/lib/server/audit/export-audit-events";
import { listAuditEvents } from "@/lib/server/audit/list-audit-events";
import { recordAuditEvent, type AuditInput } from "@/lib/server/audit/record-audit-event";
import { SYSTEM } from "@/lib/server/context";
import { authenticateToken } from "@/lib/server/tokens/authenticate-token";
import { createToken } from "@/lib/server/tokens/create-token";
import { describeEachDatabase } from "../helpers/db";
import { expectServiceError, query, userPrincipal } from "../helpers/rows";

/** RFC 4180, strictly: quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && field === "") {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error("unterminated quoted field");
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else if (c === ",") {
      record.push(field);
      field = "";
      i++;
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i += 2;
    } else if (c === '"' || c === "\n" || c === "\r") {
      throw new Error(`unexpected ${JSON.stringify(c)} outside quotes at ${i}`);
    } else {
      field += c;
      i++;
    }
  }
  if (field !== "" || record.length > 0) throw new Error("the last record does not end with CRLF");
  return records;
}

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

async function record(handle: DatabaseHandle, principal: Principal, event: AuditInput) {
  return handle.db.transaction((t) => recordAuditEvent(t, principal, event));
}

const viewer = userPrincipal("viewer");

describeEachDatabase("exporting the audit trail", (db) => {
  const tricky: Principal = { id: "eve", kind: "user", name: '=HYPERLINK("http://x","Eve, \"the\" tester")', roles: [] };
  let trickySeq = 0;

  beforeAll(async () => {
    await record(db(), SYSTEM, { action: "export.plain", targetType: "test", targetId: "p1", service: "redis", environment: "staging", after: { a: 1 } });
    trickySeq = (
      await record(db(), tricky, {
        action: "export.tricky",
        targetType: "test",
        targetId: "line1\nline2",
        service: "vault",
        environment: "production",
        before: { note: 'say "hi", then\r\nleave', n: -5 },
        after: { note: "-1+1", list: [1, "two"] },
      })
    ).seq;
    await record(db(), SYSTEM, { action: "export.plain", targetType: "test", targetId: "p2", service: "redis", environment: "production", after: { a: 2 } });
  });

  it("writes CSV with its header and every field escaped as RFC 4180 says", async () => {
    const { stream, contentType, filename } = await exportAuditEvents({ principal: viewer, input: { format: "csv", action: "export.tricky" } });
    expect(contentType).toBe("text/csv; charset=utf-8");
    expect(filename).toMatch(/^nexus-audit-.*\.csv$/);
    const rows = parseCsv(await text(stream));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(2);
    const row = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[1]![i]!]));
    expect(row.seq).toBe(String(trickySeq));
    // A spreadsheet would run it: neutralized with a leading apostrophe, otherwise exact.
    expect(row.actor_name).toBe(`'${tricky.name}`);
    expect(row.target_id).toBe("line1\nline2");
    expect(JSON.parse(row.before!)).toEqual({ note: 'say "hi", then\r\nleave', n: -5 });
    expect(JSON.parse(row.after!)).toEqual({ note: "-1+1", list: [1, "two"] });
    expect(row.service).toBe("vault");
    expect(row.environment).toBe("production");
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("writes a header even when nothing matches", async () => {
    const { stream } = await exportAuditEvents({ principal: viewer, input: { format: "csv", action: "nothing.matches" } });
    expect(parseCsv(await text(stream))).toEqual([[...CSV_COLUMNS]]);
  });

  it("writes JSON lines that parse to exactly what the list shows, filters applied", async () => {
    const { stream, contentType } = await exportAuditEvents({ principal: viewer, input: { format: "jsonl", service: "redis" } });
    expect(contentType).toMatch(/^application\/x-ndjson/);
    const body = await text(stream);
    expect(body.endsWith("\n")).toBe(true);
    const lines = body.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const listed = (await listAuditEvents({ principal: viewer, input: { service: "redis", limit: 200 } })).items;
    expect(lines).toEqual(JSON.parse(JSON.stringify(listed)));
    expect(lines.map((l) => l.targetId)).toEqual(["p2", "p1"]);

    const prod = await text((await exportAuditEvents({ principal: viewer, input: { format: "jsonl", service: "redis", env: "production" } })).stream);
    expect(prod.trimEnd().split("\n").map((l) => (JSON.parse(l) as { targetId: string }).targetId)).toEqual(["p2"]);
  });

  it("streams many pages without duplicates or gaps", async () => {
    // Synthetic rows straight into the table (inserts are allowed; their hashes are not a chain).
    await db().db.execute(sql`
      insert into audit_events (id, occurred_at, actor_id, actor_kind, actor_name, action, target_type, target_id, service, environment, before, after, prev_hash, hash)
      select gen_random_uuid(), now(), 'bulk', 'user', 'Bulk', 'export.bulk', 'test', 'b-' || g, 'redis', 'development', null, jsonb_build_object('i', g), repeat('0', 64), repeat('0', 64)
      from generate_series(1, 2345) g`);
    const expected = (await query<{ seq: string }>(db(), "select seq from audit_events where action = 'export.bulk' order by seq desc")).map((r) => Number(r.seq));
    expect(expected).toHaveLength(2345);
    const body = await text((await exportAuditEvents({ principal: viewer, input: { format: "jsonl", action: "export.bulk" } })).stream);
    const seqs = body.trimEnd().split("\n").map((l) => (JSON.parse(l) as { seq: number }).seq);
    expect(seqs).toEqual(expected);
    const csv = parseCsv(await text((await exportAuditEvents({ principal: viewer, input: { format: "csv", action: "export.bulk" } })).stream));
    expect(csv.filter((r) => r[0] === "seq")).toHaveLength(1);
    expect(csv.slice(1).map((r) => Number(r[0]))).toEqual(expected);
  });

  it("refuses bad filters before sending anything, and callers without audit:read", async () => {
    await expectServiceError(exportAuditEvents({ principal: viewer, input: { from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" } }), "invalid", /`from` must not be after `to`/);
    await expect(exportAuditEvents({ principal: viewer, input: { format: "xml" as "csv" } })).rejects.toThrow();
    const { token } = await createToken({ principal: SYSTEM, input: { name: "no-audit", role: "admin", scopes: ["config:read"] } });
    await expectServiceError(exportAuditEvents({ principal: await authenticateToken(token), input: {} }), "forbidden", /audit:read/);
  });

  describe("the route", () => {
    it("answers a download with the filters of the query", async () => {
      const { token } = await createToken({ principal: SYSTEM, input: { name: "auditor", role: "viewer", scopes: ["admin"] } });
      const res = await exportRoute(new NextRequest("http://localhost/api/v1/audit/export?format=jsonl&action=export.plain&env=staging", { headers: { authorization: `Bearer ${token}` } }), undefined);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="nexus-audit-.*\.jsonl"$/);
      const lines = (await res.text()).trimEnd().split("\n").map((l) => JSON.parse(l) as { targetId: string });
      expect(lines.map((l) => l.targetId)).toEqual(["p1"]);
      const bad = await exportRoute(new NextRequest("http://localhost/api/v1/audit/export?format=xml", { headers: { authorization: `Bearer ${token}` } }), undefined);
      expect(bad.status).toBe(422);
      expect(bad.headers.get("content-type")).toBe("application/problem+json");
    });
  });
});

describe("neutralizeFormula", () => {
  it("prefixes what a spreadsheet would run, and nothing else", () => {
    for (const s of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]) expect(neutralizeFormula(s)).toBe(`'${s}`);
    for (const s of ["plain", "1-1", "", "{\"a\":1}", "a=b"]) expect(neutralizeFormula(s)).toBe(s);
  });
});
