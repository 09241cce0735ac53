import "server-only";
import { and, desc, eq, lt } from "drizzle-orm";
import { z } from "zod";
import { configRevisions } from "@/drizzle/schema";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { notFound } from "../errors";
import { layerRef, resolveLayerTarget, revisionView } from "./save-layer";
import { MAX_INT } from "@/lib/domain/names";

export const listRevisionsInput = layerRef.extend({
  cursor: z.coerce.number().int().min(1).max(MAX_INT).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** A layer's history, newest first, keyset-paged by revision number. */
export async function listRevisions({ principal, input, tx }: UseCaseArgs<z.input<typeof listRevisionsInput>>) {
  const q = listRevisionsInput.parse(input);
  authorize(principal, "config:read", { service: q.service, environment: q.env });
  return withTransaction(tx, async (t) => {
    const { layer } = await resolveLayerTarget(t, q, false);
    const rows = await t
      .select()
      .from(configRevisions)
      .where(and(eq(configRevisions.layerId, layer.id), q.cursor ? lt(configRevisions.number, q.cursor) : undefined))
      .orderBy(desc(configRevisions.number))
      .limit(q.limit + 1);
    const page = rows.slice(0, q.limit);
    return {
      items: page.map(revisionView),
      nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.number) : null,
    };
  });
}

export const getRevisionInput = layerRef.extend({ number: z.coerce.number().int().min(1).max(MAX_INT) });

export async function getRevision({ principal, input, tx }: UseCaseArgs<z.input<typeof getRevisionInput>>) {
  const q = getRevisionInput.parse(input);
  authorize(principal, "config:read", { service: q.service, environment: q.env });
  return withTransaction(tx, async (t) => {
    const { layer } = await resolveLayerTarget(t, q, false);
    const [row] = await t
      .select()
      .from(configRevisions)
      .where(and(eq(configRevisions.layerId, layer.id), eq(configRevisions.number, q.number)));
    if (!row) throw notFound(`revision r${q.number} of this layer`);
    return { ...revisionView(row), source: row.source, value: row.value };
  });
}
