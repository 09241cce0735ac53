import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { configRevisions } from "@/drizzle/schema";
import type { ConfigObject } from "@/lib/domain/config-value";
import { withTransaction, type UseCaseArgs } from "../context";
import { notFound } from "../errors";
import { layerRef, resolveLayerTarget, writeRevision } from "./save-layer";
import { MAX_INT } from "@/lib/domain/names";

export const rollbackLayerInput = layerRef.extend({
  toRevision: z.coerce.number().int().min(1).max(MAX_INT),
  baseRevision: z.uuid().nullable(),
  message: z.string().trim().max(500).optional(),
});

/** Rollback never rewrites history: it writes a new revision equal to an old one. */
export async function rollbackLayer({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof rollbackLayerInput>>) {
  const q = rollbackLayerInput.parse(input);
  return withTransaction(tx, async (t) => {
    const { layer } = await resolveLayerTarget(t, q, false);
    const [old] = await t
      .select()
      .from(configRevisions)
      .where(and(eq(configRevisions.layerId, layer.id), eq(configRevisions.number, q.toRevision)));
    if (!old) throw notFound(`revision r${q.toRevision} of this layer`);
    return writeRevision(
      t,
      principal,
      { ...q, format: old.format, message: q.message || `Roll back to r${old.number}`, baseRevision: q.baseRevision },
      { value: old.value as ConfigObject, source: old.source },
      meta,
      "config.rolled_back",
      { extraAudit: { rolledBackTo: old.number } },
    );
  });
}
