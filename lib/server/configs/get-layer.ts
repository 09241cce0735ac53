import "server-only";
import { eq } from "drizzle-orm";
import { configRevisions } from "@/drizzle/schema";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { layerRef, resolveLayerTarget, revisionView } from "./save-layer";
import type { z } from "zod";

/** A layer's source as written and its head revision (what an edit starts from). */
export async function getLayer({ principal, input, tx }: UseCaseArgs<z.input<typeof layerRef>>) {
  const ref = layerRef.parse(input);
  authorize(principal, "config:read", { service: ref.service, environment: ref.env });
  return withTransaction(tx, async (t) => {
    const { layer, environment } = await resolveLayerTarget(t, ref, false);
    const [head] = layer.headRevisionId
      ? await t.select().from(configRevisions).where(eq(configRevisions.id, layer.headRevisionId))
      : [];
    return {
      layer: ref.layer,
      service: ref.service,
      env: ref.env,
      protected: environment?.protected ?? false,
      source: head?.source ?? "",
      format: head?.format ?? "yaml",
      value: head?.value ?? {},
      head: head ? revisionView(head) : null,
    };
  });
}
