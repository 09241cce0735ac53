import "server-only";
import { eq } from "drizzle-orm";
import { webhookEndpoints } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { notFound } from "../errors";
import { endpointView, type EndpointView } from "./schemas";

export type EndpointRow = typeof webhookEndpoints.$inferSelect;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toEndpointView(row: EndpointRow, pending = 0): EndpointView {
  const status = !row.enabled ? "disabled" : row.failingSince ? "failing" : row.lastSuccessAt ? "healthy" : "new";
  return endpointView.parse({
    id: row.id,
    ...auditPicture(row),
    status,
    disabledReason: row.disabledReason,
    disabledAt: iso(row.disabledAt),
    failingSince: iso(row.failingSince),
    consecutiveDead: row.consecutiveDead,
    lastSuccessAt: iso(row.lastSuccessAt),
    lastFailureAt: iso(row.lastFailureAt),
    pending,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An endpoint by id (anything that is no uuid names nothing: no 500 from a failed cast). */
export async function findEndpoint(db: DbOrTx, id: string, lock = false): Promise<EndpointRow> {
  if (!UUID.test(id)) throw notFound(`webhook endpoint ${id}`);
  const q = db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  const [row] = lock ? await q.for("update") : await q;
  if (!row) throw notFound(`webhook endpoint ${id}`);
  return row;
}

/** The audit trail's picture of an endpoint: its configuration, never the secret. */
export function auditPicture(row: EndpointRow) {
  return {
    name: row.name,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    services: row.services ?? null,
    environments: row.environments ?? null,
    format: row.format,
    enabled: row.enabled,
    secretVersion: row.secretVersion,
  };
}
