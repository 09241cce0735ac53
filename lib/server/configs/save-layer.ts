import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { configLayers, configRevisions, type LayerKind } from "@/drizzle/schema";
import { canonicalJson, sha256Hex } from "@/lib/domain/canonical-json";
import type { ConfigObject } from "@/lib/domain/config-value";
import type { Principal } from "@/lib/auth/permissions";
import type { Transaction } from "@/lib/db/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type RequestMeta, type UseCaseArgs } from "../context";
import { invalid, ServiceError } from "../errors";
import { markDriftDirty } from "../drift/scan";
import { notifyConfigChanged } from "../events/notify";
import { resourceName } from "../tokens/token-schemas";
import { checkCandidate } from "./check-candidate";
import { allEnvironments, ensureLayer, findEnvironment, findService, layerLabel, type LayerRow } from "./lookup";
import { parseOrThrow } from "./parse-source";
import { outdateRequestsFor } from "../promotions/outdate-requests";
import { emitEvent } from "../promotions/load";
import type { RevisionRow } from "./load-stack";

export const LAYER_KINDS = ["shared", "base", "overlay"] as const;
export const SOURCE_FORMATS = ["yaml", "json", "env"] as const;

export const layerRef = z.object({
  layer: z.enum(LAYER_KINDS),
  service: resourceName.nullable().default(null),
  env: resourceName.nullable().default(null),
});

export const saveLayerInput = layerRef.extend({
  content: z.string(),
  format: z.enum(SOURCE_FORMATS),
  message: z.string().trim().min(1, "say in a message what this change does").max(500),
  baseRevision: z.uuid("baseRevision is the id of the revision your edit started from").nullable(),
});
export type SaveLayerInput = z.input<typeof saveLayerInput>;

/**
 * Saves a layer as a new immutable revision, if the head has not moved since `baseRevision`, the
 * content parses, and every resolved config it reaches still resolves and satisfies its schema.
 */
export async function saveLayer({ principal, input, meta, tx }: UseCaseArgs<SaveLayerInput>) {
  const data = saveLayerInput.parse(input);
  const parsed = parseOrThrow(data.content, data.format);
  return withTransaction(tx, (t) =>
    writeRevision(t, principal, data, { value: parsed.value, source: data.content, locate: parsed.locate }, meta, "config.saved"),
  );
}

export type LayerTarget = z.output<typeof layerRef>;

/** Resolves a layer reference to its rows, checking that the reference is well-formed. */
export async function resolveLayerTarget(t: Transaction, ref: LayerTarget, lock: boolean) {
  if (ref.layer === "shared" && (ref.service || ref.env)) throw invalid("the shared template belongs to no service or environment");
  if (ref.layer !== "shared" && !ref.service) throw invalid(`a ${ref.layer} layer belongs to a service`);
  if (ref.layer === "overlay" && !ref.env) throw invalid("an environment overlay needs an environment");
  if (ref.layer === "base" && ref.env) throw invalid("a service's base layer belongs to no environment");
  const service = ref.service ? await findService(t, ref.service) : null;
  const environment = ref.env ? await findEnvironment(t, ref.env) : null;
  const layer = await ensureLayer(t, { kind: ref.layer, serviceId: service?.id ?? null, environmentId: environment?.id ?? null }, lock);
  return { service, environment, layer };
}

/** Environments a layer reaches: an overlay its own; a base or the shared template all of them. */
export async function authorizeLayerWrite(t: Transaction, principal: Principal, ref: LayerTarget) {
  const envs = ref.env ? [ref.env] : (await allEnvironments(t)).map((e) => e.name);
  for (const env of envs) authorize(principal, "config:write", { service: ref.service, environment: env });
}

export async function writeRevision(
  t: Transaction,
  principal: Principal,
  data: LayerTarget & { format: "yaml" | "json" | "env"; message: string; baseRevision: string | null },
  doc: { value: ConfigObject; source: string; locate?: (p: string) => { line: number; column: number } | null },
  meta: RequestMeta | undefined,
  action: string,
  opts: {
    allowProtected?: boolean;
    extraAudit?: Record<string, unknown>;
    pending?: ReadonlyMap<string, ConfigObject>;
    /** The id of an approved change request being applied: it was authorized by changes:apply and its approvals. */
    viaChangeRequest?: string;
  } = {},
) {
  if (!opts.viaChangeRequest) await authorizeLayerWrite(t, principal, data);
  const { service, environment, layer } = await resolveLayerTarget(t, data, true);
  const label = layerLabel(data.layer as LayerKind, service?.name ?? null, environment?.name ?? null);

  if (environment?.protected && !opts.allowProtected && !opts.viaChangeRequest) {
    throw protectedRefusal(environment.name);
  }
  const head = await checkBase(t, layer, data.baseRevision, label);

  const check = await checkCandidate(t, { kind: layer.kind, layerId: layer.id, service, environment, value: doc.value, locate: doc.locate, context: opts.pending });
  if (check.errors.length > 0) {
    throw new ServiceError("invalid", `The change to ${label} is not valid: ${check.errors[0]!.message}${check.errors.length > 1 ? ` (and ${check.errors.length - 1} more)` : ""}`, {
      errors: check.errors,
    });
  }
  if (check.protectedChanges.length > 0 && !opts.allowProtected && !opts.viaChangeRequest) throw protectedRefusal(check.protectedChanges.join(", "));

  const number = layer.headNumber + 1;
  const [revision] = await t
    .insert(configRevisions)
    .values({
      layerId: layer.id,
      number,
      parentId: layer.headRevisionId,
      format: data.format,
      source: doc.source,
      value: doc.value,
      hash: sha256Hex(canonicalJson(doc.value)),
      authorId: principal.id,
      authorName: principal.name,
      message: data.message,
    })
    .returning();
  await t
    .update(configLayers)
    .set({ headRevisionId: revision!.id, headNumber: number, updatedAt: new Date() })
    .where(eq(configLayers.id, layer.id));
  await recordAuditEvent(
    t,
    principal,
    {
      action,
      targetType: "layer",
      targetId: layer.id,
      service: service?.name ?? null,
      environment: environment?.name ?? null,
      before: head ? { revision: head.number, hash: head.hash, value: head.value } : null,
      after: { revision: number, hash: revision!.hash, value: doc.value, message: data.message, ...opts.extraAudit },
    },
    meta,
  );
  await outdateRequestsFor(t, layer.id, revision!.id, opts.viaChangeRequest ?? null, meta);
  await notifyConfigChanged(t, { service: service?.name ?? null, env: environment?.name ?? null });
  // The desired config changed: its pairs are rescanned now (awaiting rollout, not drift).
  await markDriftDirty(t, { serviceId: service?.id ?? null, environmentId: environment?.id ?? null });
  // Every way a layer gets a new revision (save, rollback, promotion, import) is a config.saved event.
  await emitEvent(t, "config.saved", {
    service: service?.name ?? null,
    environment: environment?.name ?? null,
    layer: data.layer,
    revision: number,
    author: principal.name,
    action,
  });
  return { revision: revisionView(revision!), layer: data.layer, service: service?.name ?? null, env: environment?.name ?? null, affected: check.affected.length, warnings: check.policyWarnings };
}

function protectedRefusal(envs: string): ServiceError {
  return new ServiceError(
    "conflict",
    `${envs} is protected: it is not changed directly. Propose a change request instead (POST /api/v1/change-requests), which goes through the required approvals.`,
    { protected: envs, proposeAt: "/api/v1/change-requests" },
  );
}

async function checkBase(t: Transaction, layer: LayerRow, base: string | null, label: string): Promise<RevisionRow | null> {
  const head = layer.headRevisionId
    ? (await t.select().from(configRevisions).where(eq(configRevisions.id, layer.headRevisionId)))[0] ?? null
    : null;
  if (base !== null) {
    const [given] = await t.select({ layerId: configRevisions.layerId }).from(configRevisions).where(eq(configRevisions.id, base));
    if (!given) throw invalid(`base revision ${base} does not exist`);
    if (given.layerId !== layer.id) throw invalid(`base revision ${base} belongs to another layer, not to ${label}`);
  }
  if ((head?.id ?? null) !== base) {
    throw new ServiceError(
      "conflict",
      head
        ? `Your edit is based on a revision that is no longer the newest: ${label} is at r${head.number} (by ${head.authorName}, “${head.message}”). Reload and re-apply your change.`
        : `${label} has no revision yet; save with baseRevision null.`,
      { currentRevision: head ? revisionView(head) : null },
    );
  }
  return head;
}

export function revisionView(r: RevisionRow) {
  return {
    id: r.id,
    number: r.number,
    parentId: r.parentId,
    format: r.format,
    hash: r.hash,
    authorId: r.authorId,
    authorName: r.authorName,
    message: r.message,
    createdAt: r.createdAt.toISOString(),
  };
}
