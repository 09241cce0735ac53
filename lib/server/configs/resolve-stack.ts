import "server-only";
import type { ConfigObject } from "@/lib/domain/config-value";
import { resolveConfig } from "@/lib/domain/resolve-config";
import type { Stack } from "./load-stack";

/** Runs the domain's resolution over a loaded stack. */
export function resolveStack(stack: Stack, maskSecrets: boolean) {
  return resolveConfig({
    layers: stack.layers.map((l) => ({
      kind: l.kind,
      value: (l.revision?.value as ConfigObject | undefined) ?? null,
      revision: l.revision ? { id: l.revision.id, number: l.revision.number } : null,
    })),
    env: stack.environment.name,
    service: stack.service.name,
    vars: stack.vars,
    // Masked or not, the names are passed: an unknown secret is an error either way.
    secrets: stack.secrets,
    maskSecrets,
  });
}

export function stackRevisions(stack: Stack) {
  return Object.fromEntries(
    stack.layers.map((l) => [l.kind, l.revision ? { id: l.revision.id, number: l.revision.number } : null]),
  ) as Record<"shared" | "base" | "overlay", { id: string; number: number } | null>;
}
