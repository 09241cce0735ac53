import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import { can, type Principal, type Target } from "@/lib/auth/permissions";
import { renderConfig } from "@/lib/domain/render-config";
import { authorize, reader, type UseCaseArgs } from "../context";
import { ServiceError } from "../errors";
import { resourceName } from "../tokens/token-schemas";
import { loadStack, revisionForStack } from "./load-stack";
import { findEnvironment, findService } from "./lookup";
import { resolveStack, stackRevisions } from "./resolve-stack";

export const OUTPUT_FORMATS = ["json", "yaml", "env", "configmap"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const getResolvedConfigInput = z.object({
  service: resourceName,
  env: resourceName,
  format: z.enum(OUTPUT_FORMATS).default("json"),
  at: z.iso.datetime({ offset: true }).optional(),
  revision: z.uuid().optional(),
});
export type GetResolvedConfigInput = z.input<typeof getResolvedConfigInput>;

/**
 * Whether a resolved config carries secret values to this caller: only API tokens with secrets:read
 * (services fetching their config; each delivery is audited, lib/server/delivery/secret-deliveries.ts).
 * People see placeholders everywhere and reveal one secret at a time through the audited reveal.
 */
export function deliversSecretValues(principal: Principal, target: Target): boolean {
  return principal.kind !== "user" && can(principal, "secrets:read", target);
}

/** The names of the secrets whose values a resolved config carries (none when masked). */
export function deliveredSecretNames(r: { secretsMasked: boolean; secretPaths: string[]; provenance: Record<string, { via?: string }> }): string[] {
  if (r.secretsMasked) return [];
  const names = r.secretPaths.flatMap((p) => (r.provenance[p]?.via ?? "").split(", ").filter(Boolean));
  return [...new Set(names)].sort();
}

/**
 * The resolved config of a service in an environment: shared → base → overlay, interpolated.
 * Secrets are substituted only for API tokens with secrets:read; everyone else sees placeholders.
 */
export async function getResolvedConfig({ principal, input, tx }: UseCaseArgs<GetResolvedConfigInput>) {
  const q = getResolvedConfigInput.parse(input);
  authorize(principal, "config:read", { service: q.service, environment: q.env });
  if (q.at && q.revision) throw new ServiceError("invalid", "Ask for either ?at= or ?revision=, not both.");
  const reveal = deliversSecretValues(principal, { service: q.service, environment: q.env });
  const db = await reader(tx);
  const service = await findService(db, q.service);
  const environment = await findEnvironment(db, q.env);

  let overrides;
  if (q.revision) {
    const base = await loadStack(db, service, environment, { decryptSecrets: false });
    const rev = await revisionForStack(db, q.revision, base.layers.map((l) => l.layer.id));
    overrides = new Map([[rev.layerId, rev]]);
  }
  const stack = await loadStack(db, service, environment, {
    at: q.at ? new Date(q.at) : undefined,
    overrides,
    decryptSecrets: reveal,
  });
  const resolved = resolveStack(stack, !reveal);
  if (!resolved.ok) {
    throw new ServiceError("conflict", `The config of ${q.service} in ${q.env} does not resolve: ${resolved.errors.map((e) => e.message).join("; ")}`, {
      errors: resolved.errors,
    });
  }
  const rendered = renderConfig(resolved.value, q.format, {
    name: service.name,
    env: environment.name,
    secretPaths: resolved.secretPaths,
  });
  return {
    service: service.name,
    env: environment.name,
    format: q.format,
    value: resolved.value,
    provenance: resolved.provenance,
    secretPaths: resolved.secretPaths,
    secretsMasked: !reveal,
    revisions: stackRevisions(stack),
    body: rendered.body,
    contentType: rendered.contentType,
    etag: strongEtag(rendered.body),
  };
}

export function strongEtag(body: string): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
}
