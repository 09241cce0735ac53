import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { configRevisions } from "@/drizzle/schema";
import { diffConfigs } from "@/lib/domain/diff-configs";
import type { ConfigValue } from "@/lib/domain/config-value";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { notFound } from "../errors";
import { layerRef, resolveLayerTarget } from "./save-layer";
import { MAX_INT } from "@/lib/domain/names";

export const diffRevisionsInput = layerRef.extend({
  from: z.coerce.number().int().min(0).max(MAX_INT),
  to: z.coerce.number().int().min(1).max(MAX_INT),
});

/** Structural diff between two revisions of one layer (r0 is the empty layer before the first save). */
export async function diffRevisions({ principal, input, tx }: UseCaseArgs<z.input<typeof diffRevisionsInput>>) {
  const q = diffRevisionsInput.parse(input);
  authorize(principal, "config:read", { service: q.service, environment: q.env });
  return withTransaction(tx, async (t) => {
    const { layer } = await resolveLayerTarget(t, q, false);
    const rows = await t
      .select()
      .from(configRevisions)
      .where(and(eq(configRevisions.layerId, layer.id), inArray(configRevisions.number, [q.from, q.to])));
    const pick = (n: number) => {
      if (n === 0) return { value: {} as ConfigValue, source: "" };
      const r = rows.find((x) => x.number === n);
      if (!r) throw notFound(`revision r${n} of this layer`);
      return { value: r.value as ConfigValue, source: r.source };
    };
    const from = pick(q.from);
    const to = pick(q.to);
    return { from: q.from, to: q.to, changes: diffConfigs(from.value, to.value), fromSource: from.source, toSource: to.source };
  });
}
