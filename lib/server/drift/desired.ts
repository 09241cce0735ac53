import "server-only";
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { configLayers, configRevisions, environmentVariables, environments, secretVersions, services } from "@/drizzle/schema";
import { canonicalJson, sha256Hex } from "@/lib/domain/canonical-json";
import { hasOwn, setOwn, type ConfigObject, type ConfigValue } from "@/lib/domain/config-value";
import { hashAtPaths } from "@/lib/domain/drift";
import { interpolate } from "@/lib/domain/interpolate";
import { mergeLayers } from "@/lib/domain/merge-layers";
import type { LayerKind } from "@/lib/domain/resolve-config";
import { decryptSecret, secretFingerprint } from "@/lib/domain/secret-crypto";
import type { DbOrTx } from "@/lib/db/client";
import { masterKey, secretAad } from "../secrets/master-key";

export interface Pair {
  serviceId: string;
  environmentId: string;
}
export const pairKey = (p: Pair) => `${p.serviceId}/${p.environmentId}`;

/** What a scan compares against: the resolved config with every secret replaced by its keyed hash. */
export interface Desired {
  key: string;
  value: ConfigObject;
  hash: string;
  secretPaths: string[];
  revisions: Record<LayerKind, { id: string; number: number } | null>;
}

export interface DesiredHeads {
  pair: Pair;
  service: string;
  environment: string;
  key: string;
  revisions: Record<LayerKind, { id: string; number: number } | null>;
  vars: Record<string, string>;
  secrets: { name: string; version: number; ciphertext: string }[];
}

/** The keyed hash that stands for a secret value wherever drift keeps or compares one. */
export function hashSecretValue(v: ConfigValue): string {
  return `hmac-sha256:${secretFingerprint(masterKey(), typeof v === "string" ? v : canonicalJson(v))}`;
}

// Revisions are immutable, and a desired config is a pure function of its key: both are cached
// for as long as the process lives (bounded), so a rescan resolves only what changed.
const MAX_CACHED = 20_000;
// Each revision's value, with the top-level members whose text contains a "$" (only those can
// need interpolation).
const revisionValues = new Map<string, { value: ConfigObject; dollarKeys: string[] }>();
const desiredByKey = new Map<string, Desired>();

function remember<K, V>(map: Map<K, V>, k: K, v: V) {
  if (map.size >= MAX_CACHED) map.delete(map.keys().next().value as K);
  map.set(k, v);
}

/** Drops the caches (tests and the benchmark measure cold scans with it). */
export function clearDesiredCache(): void {
  revisionValues.clear();
  desiredByKey.clear();
}

/**
 * The identity of each pair's desired config, in three queries for the whole batch: layer heads,
 * variables, current secret versions. Equal keys mean equal desired configs.
 */
export async function loadDesiredHeads(db: DbOrTx, pairs: Pair[]): Promise<Map<string, DesiredHeads>> {
  const out = new Map<string, DesiredHeads>();
  if (pairs.length === 0) return out;
  const serviceIds = [...new Set(pairs.map((p) => p.serviceId))];
  const envIds = [...new Set(pairs.map((p) => p.environmentId))];
  // Two queries rather than one with an OR, so that each uses the layers' (kind, service, environment) index.
  const layerColumns = { kind: configLayers.kind, serviceId: configLayers.serviceId, environmentId: configLayers.environmentId, id: configLayers.headRevisionId, number: configLayers.headNumber };
  const layers = [
    ...(await db.select(layerColumns).from(configLayers).where(and(eq(configLayers.kind, "shared"), isNull(configLayers.serviceId), isNull(configLayers.environmentId)))),
    ...(await db.select(layerColumns).from(configLayers).where(and(eq(configLayers.kind, "base"), inArray(configLayers.serviceId, serviceIds), isNull(configLayers.environmentId)))),
    ...(await db.select(layerColumns).from(configLayers).where(and(eq(configLayers.kind, "overlay"), inArray(configLayers.serviceId, serviceIds), inArray(configLayers.environmentId, envIds)))),
  ];
  const names = await db.select({ id: services.id, name: services.name }).from(services).where(inArray(services.id, serviceIds));
  const envNames = await db.select({ id: environments.id, name: environments.name }).from(environments).where(inArray(environments.id, envIds));
  const varRows = await db.select().from(environmentVariables).where(inArray(environmentVariables.environmentId, envIds));
  const secretRows = await db
    .selectDistinctOn([secretVersions.serviceId, secretVersions.environmentId, secretVersions.name], {
      serviceId: secretVersions.serviceId,
      environmentId: secretVersions.environmentId,
      name: secretVersions.name,
      version: secretVersions.version,
      ciphertext: secretVersions.ciphertext,
    })
    .from(secretVersions)
    .where(and(inArray(secretVersions.serviceId, serviceIds), inArray(secretVersions.environmentId, envIds)))
    .orderBy(secretVersions.serviceId, secretVersions.environmentId, secretVersions.name, desc(secretVersions.version));

  const svcName = new Map(names.map((n) => [n.id, n.name]));
  const envName = new Map(envNames.map((n) => [n.id, n.name]));
  type Head = { id: string; number: number } | null;
  let shared: Head = null;
  const base = new Map<string, Head>();
  const overlay = new Map<string, Head>();
  for (const l of layers) {
    const head: Head = l.id ? { id: l.id, number: l.number } : null;
    if (l.kind === "shared") shared = head;
    else if (l.kind === "base") base.set(l.serviceId!, head);
    else overlay.set(`${l.serviceId}/${l.environmentId}`, head);
  }
  const varsByEnv = new Map<string, Record<string, string>>();
  for (const v of varRows) varsByEnv.set(v.environmentId, { ...varsByEnv.get(v.environmentId), [v.name]: v.value });
  const secretsByPair = new Map<string, DesiredHeads["secrets"]>();
  for (const s of secretRows) {
    if (s.ciphertext === null) continue;
    const k = `${s.serviceId}/${s.environmentId}`;
    secretsByPair.set(k, [...(secretsByPair.get(k) ?? []), { name: s.name, version: Number(s.version), ciphertext: s.ciphertext }]);
  }

  for (const p of pairs) {
    const service = svcName.get(p.serviceId);
    const environment = envName.get(p.environmentId);
    if (!service || !environment) continue;
    const k = pairKey(p);
    const heads = { shared, base: base.get(p.serviceId) ?? null, overlay: overlay.get(k) ?? null };
    const vars = varsByEnv.get(p.environmentId) ?? {};
    const secrets = secretsByPair.get(k) ?? [];
    const key = sha256Hex(
      canonicalJson({
        s: service,
        e: environment,
        // Revisions are immutable: their ids name their content.
        h: [heads.shared?.id ?? null, heads.base?.id ?? null, heads.overlay?.id ?? null],
        v: vars,
        // The sealed value, not just the version: equal names and versions in two databases differ.
        x: secrets.map((x) => [x.name, x.version, sha256Hex(x.ciphertext)]),
      }),
    );
    out.set(k, { pair: p, service, environment, key, revisions: heads, vars, secrets });
  }
  return out;
}

/** Resolves the desired configs of the given heads, reusing cached ones; one query for missing revision values. */
export async function resolveDesired(db: DbOrTx, heads: DesiredHeads[]): Promise<Map<string, Desired | { error: string }>> {
  const out = new Map<string, Desired | { error: string }>();
  const todo = heads.filter((h) => !desiredByKey.has(h.key));
  const wanted = new Set<string>();
  for (const h of todo) for (const r of Object.values(h.revisions)) if (r && !revisionValues.has(r.id)) wanted.add(r.id);
  const ids = [...wanted];
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db.select({ id: configRevisions.id, value: configRevisions.value }).from(configRevisions).where(inArray(configRevisions.id, ids.slice(i, i + 1000)));
    for (const r of rows) {
      const value = r.value as ConfigObject;
      remember(revisionValues, r.id, { value, dollarKeys: Object.keys(value).filter((k) => JSON.stringify(value[k]).includes("$")) });
    }
  }
  for (const h of heads) {
    const k = pairKey(h.pair);
    const cached = desiredByKey.get(h.key);
    if (cached) {
      out.set(k, cached);
      continue;
    }
    try {
      const d = computeDesired(h, h.pair);
      remember(desiredByKey, h.key, d);
      out.set(k, d);
    } catch (e) {
      out.set(k, { error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}

function computeDesired(h: DesiredHeads, pair: Pair): Desired {
  const secrets: Record<string, string> = {};
  if (h.secrets.length > 0) {
    const key = masterKey();
    for (const s of h.secrets) secrets[s.name] = decryptSecret(key, s.ciphertext, secretAad(pair.serviceId, pair.environmentId, s.name, s.version));
  }
  // The same merge and interpolation as resolveConfig, without the provenance a scan never shows,
  // and with interpolation run over the top-level members that contain a "$" only: the others come
  // out of it unchanged, and their pointers are the same in the smaller document.
  const layers = (["shared", "base", "overlay"] as const).map((kind) => (h.revisions[kind] ? (revisionValues.get(h.revisions[kind]!.id) ?? null) : null));
  const merged = mergeLayers(...layers.map((l) => l?.value ?? null));
  const templated: ConfigObject = {};
  for (const l of layers) for (const k of l?.dollarKeys ?? []) if (hasOwn(merged, k)) setOwn(templated, k, merged[k]!);
  const resolved = interpolate(templated, { env: h.environment, service: h.service, vars: h.vars, secrets, maskSecrets: false });
  if (!resolved.ok) throw new Error(`the desired config does not resolve: ${resolved.errors.map((e) => `${e.path || "/"}: ${e.message}`).join("; ")}`);
  const full: ConfigObject = {};
  for (const k of Object.keys(merged)) setOwn(full, k, hasOwn(resolved.value, k) ? resolved.value[k]! : merged[k]!);
  const hashed = hashAtPaths(full, resolved.secretPaths, hashSecretValue);
  return { key: h.key, value: hashed, hash: sha256Hex(canonicalJson(hashed)), secretPaths: resolved.secretPaths, revisions: h.revisions };
}
