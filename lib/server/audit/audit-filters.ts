import "server-only";
import { and, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditEvents } from "@/drizzle/schema";
import { invalid } from "../errors";

/** The filters of the audit list and of its export: one definition, so both select the same set. */
export const auditFilters = z.object({
  actor: z.string().max(200).optional(),
  action: z.string().max(200).optional(),
  service: z.string().max(63).optional(),
  env: z.string().max(63).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type AuditFilters = z.infer<typeof auditFilters>;

/** Where a page ends: the last event's time (epoch ms) and seq; the next page starts below both. */
export interface AuditPosition {
  at: number;
  seq: number;
}

const CURSOR = /^(\d{1,15})\.(\d{1,18})$/;
export const auditCursor = z.string().regex(CURSOR, "cursor must come from a previous page's nextCursor");

export const encodeCursor = (p: AuditPosition) => `${p.at}.${p.seq}`;
export function decodeCursor(cursor: string): AuditPosition {
  const m = CURSOR.exec(cursor);
  if (!m) throw invalid("cursor must come from a previous page's nextCursor");
  return { at: Number(m[1]), seq: Number(m[2]) };
}

/**
 * The WHERE of a filtered audit read, newest first by (occurred_at, seq). Each filter has an index
 * that yields rows in that order, time range included (drizzle/schema.ts), so a page reads only
 * what it returns; the keyset is the row comparison (occurred_at, seq) < (cursor), which the same
 * indexes answer. `upTo` bounds the seq (an export covers what existed when it started).
 */
export function auditWhere(q: AuditFilters, before?: AuditPosition, upTo?: number): SQL | undefined {
  // Compare instants, not strings: the same instant can be written with different UTC offsets.
  if (q.from && q.to && new Date(q.from) > new Date(q.to)) throw invalid("`from` must not be after `to`");
  const where: SQL[] = [];
  if (q.actor) where.push(eq(auditEvents.actorId, q.actor));
  if (q.action) where.push(eq(auditEvents.action, q.action));
  if (q.service) where.push(eq(auditEvents.service, q.service));
  if (q.env) where.push(eq(auditEvents.environment, q.env));
  if (q.from) where.push(gte(auditEvents.occurredAt, new Date(q.from)));
  if (q.to) where.push(lte(auditEvents.occurredAt, new Date(q.to)));
  if (before) where.push(sql`(${auditEvents.occurredAt}, ${auditEvents.seq}) < (${new Date(before.at).toISOString()}::timestamptz, ${before.seq})`);
  if (upTo !== undefined) where.push(lte(auditEvents.seq, upTo));
  return and(...where);
}
