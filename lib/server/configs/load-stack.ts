import "server-only";
import { and, desc, eq, inArray, lte } from "drizzle-orm";
import { configRevisions, environmentVariables, secretVersions, type LayerKind } from "@/drizzle/schema";
import type { ConfigObject } from "@/lib/domain/config-value";
import { decryptSecret } from "@/lib/domain/secret-crypto";
import type { DbOrTx } from "@/lib/db/client";
import { masterKey, secretAad } from "../secrets/master-key";
import { invalid } from "../errors";
import { ensureLayer, type EnvironmentRow, type LayerRow, type ServiceRow } from "./lookup";

export type RevisionRow = typeof configRevisions.$inferSelect;

export interface StackLayer {
  kind: LayerKind;
  layer: LayerRow;
  revision: RevisionRow | null;
}

export interface Stack {
  service: ServiceRow;
  environment: EnvironmentRow;
  layers: StackLayer[];
  vars: Record<string, string>;
  /** Secret values when decrypted for a caller allowed to see them, else their names with empty values. */
  secrets: Record<string, string>;
  secretNames: string[];
}

export interface StackOptions {
  /** Point in time: each layer at its newest revision created at or before it. */
  at?: Date;
  /** These revisions stand in for the head of their layer (a past revision, or a candidate). */
  overrides?: Map<string, RevisionRow | { value: ConfigObject; id: string; number: number }>;
  decryptSecrets: boolean;
}

export async function loadStack(
  db: DbOrTx,
  service: ServiceRow,
  environment: EnvironmentRow,
  opts: StackOptions,
): Promise<Stack> {
  const layerRows = await Promise.all([
    ensureLayer(db, { kind: "shared", serviceId: null, environmentId: null }),
    ensureLayer(db, { kind: "base", serviceId: service.id, environmentId: null }),
    ensureLayer(db, { kind: "overlay", serviceId: service.id, environmentId: environment.id }),
  ]);
  const layers: StackLayer[] = [];
  for (const layer of layerRows) {
    const override = opts.overrides?.get(layer.id);
    let revision: RevisionRow | null;
    if (override) revision = override as RevisionRow;
    else if (opts.at) revision = await revisionAt(db, layer.id, opts.at);
    else revision = layer.headRevisionId ? await revisionById(db, layer.headRevisionId) : null;
    layers.push({ kind: layer.kind, layer, revision });
  }
  const vars = Object.fromEntries(
    (await db.select().from(environmentVariables).where(eq(environmentVariables.environmentId, environment.id))).map(
      (v) => [v.name, v.value],
    ),
  );
  const current = await currentSecrets(db, service.id, environment.id, opts.at);
  // Without decryption the names are still there (with no value), so references can be checked.
  const secrets: Record<string, string> = Object.fromEntries(current.map((s) => [s.name, ""]));
  if (opts.decryptSecrets) {
    const key = masterKey();
    for (const s of current) {
      secrets[s.name] = decryptSecret(key, s.ciphertext!, secretAad(service.id, environment.id, s.name, s.version));
    }
  }
  return { service, environment, layers, vars, secrets, secretNames: current.map((s) => s.name) };
}

async function revisionById(db: DbOrTx, id: string): Promise<RevisionRow | null> {
  const [row] = await db.select().from(configRevisions).where(eq(configRevisions.id, id));
  return row ?? null;
}

async function revisionAt(db: DbOrTx, layerId: string, at: Date): Promise<RevisionRow | null> {
  const [row] = await db
    .select()
    .from(configRevisions)
    .where(and(eq(configRevisions.layerId, layerId), lte(configRevisions.createdAt, at)))
    .orderBy(desc(configRevisions.number))
    .limit(1);
  return row ?? null;
}

/** The newest version of each secret (at a time, if given), leaving out deleted ones. */
export async function currentSecrets(db: DbOrTx, serviceId: string, environmentId: string, at?: Date) {
  const rows = await db
    .select()
    .from(secretVersions)
    .where(
      and(
        eq(secretVersions.serviceId, serviceId),
        eq(secretVersions.environmentId, environmentId),
        at ? lte(secretVersions.createdAt, at) : undefined,
      ),
    )
    .orderBy(secretVersions.name, desc(secretVersions.version));
  const newest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!newest.has(r.name)) newest.set(r.name, r);
  return [...newest.values()].filter((r) => r.ciphertext !== null);
}

/** A revision given by id must belong to one of the stack's layers. */
export async function revisionForStack(db: DbOrTx, revisionId: string, layerIds: string[]): Promise<RevisionRow> {
  const [row] = await db
    .select()
    .from(configRevisions)
    .where(and(eq(configRevisions.id, revisionId), inArray(configRevisions.layerId, layerIds)));
  if (!row) throw invalid(`revision ${revisionId} is not a revision of this service's layers in this environment`);
  return row;
}
