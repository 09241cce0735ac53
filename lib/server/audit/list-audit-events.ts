import "server-only";
import { desc } from "drizzle-orm";
import { z } from "zod";
import { auditEvents } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { authorize, reader, type UseCaseArgs } from "../context";
import { auditCursor, auditFilters, auditWhere, decodeCursor, encodeCursor, type AuditFilters, type AuditPosition } from "./audit-filters";

export const listAuditEventsInput = auditFilters.extend({
  cursor: auditCursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListAuditEventsInput = z.input<typeof listAuditEventsInput>;

export type AuditRow = typeof auditEvents.$inferSelect;
export type AuditEventView = Omit<AuditRow, "occurredAt"> & { occurredAt: string };

export const auditView = (r: AuditRow): AuditEventView => ({ ...r, occurredAt: r.occurredAt.toISOString() });

/** A page of audit events, newest first, with a keyset cursor on (time, seq). */
export async function listAuditEvents({ principal, input, tx }: UseCaseArgs<ListAuditEventsInput>) {
  authorize(principal, "audit:read");
  const q = listAuditEventsInput.parse(input);
  const rows = await readAuditPage(await reader(tx), q, q.cursor ? decodeCursor(q.cursor) : undefined, q.limit);
  return { items: rows.items.map(auditView), nextCursor: rows.next ? encodeCursor(rows.next) : null };
}

/** One keyset page: the rows below `before` (newest first) and where the next page starts, if any. */
export async function readAuditPage(db: DbOrTx, filters: AuditFilters, before: AuditPosition | undefined, limit: number, upTo?: number) {
  const rows = await auditPageQuery(db, filters, before, limit + 1, upTo);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > limit && last ? { at: last.occurredAt.getTime(), seq: last.seq } : null };
}

/** The SQL of one page (the benchmark EXPLAINs exactly this). */
export function auditPageQuery(db: DbOrTx, filters: AuditFilters, before: AuditPosition | undefined, limit: number, upTo?: number) {
  return db
    .select()
    .from(auditEvents)
    .where(auditWhere(filters, before, upTo))
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.seq))
    .limit(limit);
}
