import "server-only";
import { stringify } from "csv-stringify/sync";
import { auditView, type AuditRow } from "./list-audit-events";

export const EXPORT_FORMATS = ["csv", "jsonl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  jsonl: "application/x-ndjson; charset=utf-8",
};

/** CSV columns, in order: every field of the event, so an export can be re-verified against its hashes. */
export const CSV_COLUMNS = [
  "seq",
  "id",
  "occurred_at",
  "actor_id",
  "actor_kind",
  "actor_name",
  "action",
  "target_type",
  "target_id",
  "service",
  "environment",
  "before",
  "after",
  "request_id",
  "ip",
  "user_agent",
  "prev_hash",
  "hash",
] as const;

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab / carriage return) as a formula; an
 * actor name or a config value can be chosen by anyone who can write one. Such cells get a leading
 * apostrophe (OWASP "CSV injection"); every other cell is exactly the stored value.
 */
export function neutralizeFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

const text = (v: string | null) => (v === null ? "" : neutralizeFormula(v));
const json = (v: unknown) => (v === null || v === undefined ? "" : neutralizeFormula(JSON.stringify(v)));

export function csvRecord(r: AuditRow): string[] {
  return [
    String(r.seq),
    r.id,
    r.occurredAt.toISOString(),
    text(r.actorId),
    r.actorKind,
    text(r.actorName),
    text(r.action),
    text(r.targetType),
    text(r.targetId),
    text(r.service),
    text(r.environment),
    json(r.before),
    json(r.after),
    text(r.requestId),
    text(r.ip),
    text(r.userAgent),
    r.prevHash,
    r.hash,
  ];
}

/** One page of the export as text; the CSV header goes with the first page only (even an empty one). */
export function formatPage(format: ExportFormat, rows: AuditRow[], first: boolean): string {
  if (format === "jsonl") return rows.map((r) => `${JSON.stringify(auditView(r))}\n`).join("");
  // RFC 4180: quotes where needed, doubled quotes inside, CRLF line ends.
  return stringify(rows.map(csvRecord), { header: first, columns: [...CSV_COLUMNS], record_delimiter: "windows", quoted_match: /[\r\n]/ });
}
