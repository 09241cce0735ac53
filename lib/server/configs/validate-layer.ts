import "server-only";
import { z } from "zod";
import { parseConfigSource } from "@/lib/domain/parse-config-source";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { checkCandidate } from "./check-candidate";
import { layerRef, resolveLayerTarget, SOURCE_FORMATS } from "./save-layer";

export const validateLayerInput = layerRef.extend({ content: z.string(), format: z.enum(SOURCE_FORMATS) });

/** What saving this content would say, without saving: the editor calls it as you type. */
export async function validateLayer({ principal, input, tx }: UseCaseArgs<z.input<typeof validateLayerInput>>) {
  const q = validateLayerInput.parse(input);
  authorize(principal, "config:read", { service: q.service, environment: q.env });
  const parsed = parseConfigSource(q.content, q.format);
  if (!parsed.ok) return { valid: false, stage: "parse" as const, errors: parsed.errors, warnings: [], protectedChanges: [] };
  return withTransaction(tx, async (t) => {
    const { service, environment, layer } = await resolveLayerTarget(t, q, false);
    const check = await checkCandidate(t, { kind: layer.kind, layerId: layer.id, service, environment, value: parsed.value, locate: parsed.locate });
    return {
      valid: check.errors.length === 0,
      stage: "resolve" as const,
      errors: check.errors,
      warnings: check.policyWarnings,
      protectedChanges: environment?.protected ? [environment.name] : check.protectedChanges,
    };
  });
}
