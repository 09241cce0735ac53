import "server-only";
import { and, asc, desc, eq, inArray, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { webhookAttempts, webhookDeliveries } from "@/drizzle/schema";
import { authorize, reader, type UseCaseArgs } from "../context";
import { invalid } from "../errors";
import { findEndpoint } from "./endpoint-view";
import { deliveryView, type DeliveryView } from "./schemas";

export const listDeliveriesInput = z.object({
  id: z.string().min(1).max(64),
  status: z.enum(["pending", "delivered", "dead"]).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type ListDeliveriesInput = z.input<typeof listDeliveriesInput>;

const EXCERPT_IN_LIST = 1000;

/** An endpoint's delivery log, newest first, each delivery with its attempts; keyset cursor on (created, id). */
export async function listDeliveries({ principal, input, tx }: UseCaseArgs<ListDeliveriesInput>): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
  authorize(principal, "settings:manage");
  const q = listDeliveriesInput.parse(input);
  const db = await reader(tx);
  const endpoint = await findEndpoint(db, q.id);
  const where: SQL[] = [eq(webhookDeliveries.endpointId, endpoint.id)];
  if (q.status) where.push(eq(webhookDeliveries.status, q.status));
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    where.push(or(lt(webhookDeliveries.createdAt, c.at), and(eq(webhookDeliveries.createdAt, c.at), lt(webhookDeliveries.id, c.id)))!);
  }
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(and(...where))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const attempts = page.length
    ? await db.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, page.map((d) => d.id))).orderBy(asc(webhookAttempts.attempt))
    : [];
  const items = page.map((d) =>
    deliveryView.parse({
      id: d.id,
      messageId: d.messageId,
      eventType: d.eventType,
      status: d.status,
      attempts: d.attempts,
      nextAttemptAt: d.status === "pending" ? d.nextAttemptAt.toISOString() : null,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      redeliveryOf: d.redeliveryOf,
      requestedBy: d.requestedBy,
      createdAt: d.createdAt.toISOString(),
      finishedAt: d.finishedAt?.toISOString() ?? null,
      body: d.body,
      attemptLog: attempts
        .filter((a) => a.deliveryId === d.id)
        .map((a) => ({
          attempt: a.attempt,
          startedAt: a.startedAt.toISOString(),
          durationMs: a.durationMs,
          statusCode: a.statusCode,
          responseExcerpt: a.responseExcerpt?.slice(0, EXCERPT_IN_LIST) ?? null,
          error: a.error,
        })),
    }),
  );
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString("base64url");
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = new Date(at ?? "");
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(date.getTime())) throw invalid("cursor must come from a previous page's nextCursor");
  return { at: date, id };
}
