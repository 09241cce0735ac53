import "server-only";
import { and, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditEvents } from "@/drizzle/schema";
import { authorize, reader, type UseCaseArgs } from "../context";
import { invalid } from "../errors";

export const listAuditEventsInput = z.object({
  actor: z.string().max(200).optional(),
  action: z.string().max(200).optional(),
  service: z.string().max(63).optional(),
  env: z.string().max(63).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().regex(/^\d{1,18}$/, "cursor must come from a previous page's nextCursor").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListAuditEventsInput = z.input<typeof listAuditEventsInput>;

export type AuditEventView = Omit<typeof auditEvents.$inferSelect, "occurredAt"> & { occurredAt: string };

/** A page of audit events, newest first, with a keyset cursor on the chain sequence. */
export async function listAuditEvents({ principal, input, tx }: UseCaseArgs<ListAuditEventsInput>) {
  authorize(principal, "audit:read");
  const q = listAuditEventsInput.parse(input);
  // Compare instants, not strings: the same instant can be written with different UTC offsets.
  if (q.from && q.to && new Date(q.from) > new Date(q.to)) throw invalid("`from` must not be after `to`");

  const where: SQL[] = [];
  if (q.actor) where.push(eq(auditEvents.actorId, q.actor));
  if (q.action) where.push(eq(auditEvents.action, q.action));
  if (q.service) where.push(eq(auditEvents.service, q.service));
  if (q.env) where.push(eq(auditEvents.environment, q.env));
  if (q.from) where.push(gte(auditEvents.occurredAt, new Date(q.from)));
  if (q.to) where.push(lte(auditEvents.occurredAt, new Date(q.to)));
  if (q.cursor) where.push(lt(auditEvents.seq, Number(q.cursor)));

  const db = await reader(tx);
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.seq))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((r): AuditEventView => ({ ...r, occurredAt: r.occurredAt.toISOString() })),
    nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.seq) : null,
  };
}
