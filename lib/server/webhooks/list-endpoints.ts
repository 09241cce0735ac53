import "server-only";
import { and, asc, count, eq, inArray } from "drizzle-orm";
import { webhookDeliveries, webhookEndpoints } from "@/drizzle/schema";
import { authorize, reader, type UseCaseArgs } from "../context";
import { findEndpoint, toEndpointView } from "./endpoint-view";
import type { EndpointView } from "./schemas";

/** Every endpoint (there are few), with how many deliveries wait for it. */
export async function listEndpoints({ principal, tx }: UseCaseArgs<void>): Promise<EndpointView[]> {
  authorize(principal, "settings:manage");
  const db = await reader(tx);
  const rows = await db.select().from(webhookEndpoints).orderBy(asc(webhookEndpoints.name), asc(webhookEndpoints.id)).limit(500);
  const pending = await pendingCounts(db, rows.map((r) => r.id));
  return rows.map((r) => toEndpointView(r, pending.get(r.id) ?? 0));
}

export async function getEndpoint({ principal, input, tx }: UseCaseArgs<{ id: string }>): Promise<EndpointView> {
  authorize(principal, "settings:manage");
  const db = await reader(tx);
  const row = await findEndpoint(db, input.id);
  return toEndpointView(row, (await pendingCounts(db, [row.id])).get(row.id) ?? 0);
}

async function pendingCounts(db: Awaited<ReturnType<typeof reader>>, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: webhookDeliveries.endpointId, n: count() })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.status, "pending"), inArray(webhookDeliveries.endpointId, ids)))
    .groupBy(webhookDeliveries.endpointId);
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}
