import "server-only";
import { z } from "zod";
import { diffConfigs, maskDiff } from "@/lib/domain/diff-configs";
import { authorize, type UseCaseArgs } from "../context";
import { resourceName } from "../tokens/token-schemas";
import { getResolvedConfig } from "./get-resolved-config";

export const compareEnvironmentsInput = z.object({ service: resourceName, from: resourceName, to: resourceName });

/** The resolved diff of a service between two environments, secrets masked. */
export async function compareEnvironments({ principal, input, tx }: UseCaseArgs<z.input<typeof compareEnvironmentsInput>>) {
  const q = compareEnvironmentsInput.parse(input);
  authorize(principal, "config:read", { service: q.service });
  const a = await getResolvedConfig({ principal, input: { service: q.service, env: q.from }, tx });
  const b = await getResolvedConfig({ principal, input: { service: q.service, env: q.to }, tx });
  const changes = maskDiff(diffConfigs(a.value, b.value), [...new Set([...a.secretPaths, ...b.secretPaths])]);
  return { service: q.service, from: q.from, to: q.to, changes };
}
