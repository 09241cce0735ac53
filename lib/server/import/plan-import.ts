import "server-only";
import { and, eq, gt, inArray, or } from "drizzle-orm";
import { configLayers, configRevisions, environments, services } from "@/drizzle/schema";
import type { Principal } from "@/lib/auth/permissions";
import { deepEqual, type ConfigObject, type FieldError } from "@/lib/domain/config-value";
import { diffConfigs } from "@/lib/domain/diff-configs";
import type { Transaction } from "@/lib/db/client";
import { createService } from "../catalog/create-service";
import { createStandardPipeline } from "../catalog/create-standard-pipeline";
import { checkCandidate, type Candidate } from "../configs/check-candidate";
import type { RevisionRow } from "../configs/load-stack";
import { allEnvironments, layerLabel, type EnvironmentRow, type LayerRow, type ServiceRow } from "../configs/lookup";
import { parseOrThrow } from "../configs/parse-source";
import { authorizeLayerWrite, resolveLayerTarget, type LayerTarget } from "../configs/save-layer";
import { authorize, type RequestMeta } from "../context";
import { ServiceError } from "../errors";
import { layerKey, parseImportPath, type ImportTarget } from "./import-paths";
import type { ImportFileReport } from "./import-report";

export interface ImportFileInput {
  path: string;
  content: string;
}

/** A file that passed every check, in the order the import writes it. */
export interface PlannedWrite {
  index: number;
  path: string;
  ref: LayerTarget;
  format: ImportTarget["format"];
  value: ConfigObject;
  source: string;
  locate: (pointer: string) => { line: number; column: number } | null;
  baseRevision: string | null;
  allowProtected: boolean;
}

export interface ImportPlan {
  createPipeline: boolean;
  newServices: string[];
  newEnvironments: string[];
  files: ImportFileReport[];
  writes: PlannedWrite[];
}

interface Parsed extends Omit<PlannedWrite, "allowProtected" | "baseRevision"> {
  kind: LayerRow["kind"];
  layer: LayerRow;
  service: ServiceRow | null;
  environment: EnvironmentRow | null;
  head: RevisionRow | null;
}

/**
 * Works out what importing `files` would do, writing nothing that outlives `t`: the caller runs it
 * in a savepoint and rolls that back. New services (and, in an empty database, the standard
 * pipeline) are created inside it only so that their layers can be resolved and checked.
 */
export async function planImport(t: Transaction, principal: Principal, files: ImportFileInput[], meta?: RequestMeta): Promise<ImportPlan> {
  const report: ImportFileReport[] = files.map((f) => ({ path: f.path, layer: null, service: null, env: null, format: null, action: "error" }));
  const fail = (i: number, code: ServiceError["code"], detail: string, errors: FieldError[] = []) => {
    report[i] = { ...report[i]!, action: "error", problem: { code, detail, errors: errors.length > 0 ? errors : [{ path: "", message: detail }] } };
  };

  let envs = await allEnvironments(t);
  const createPipeline = envs.length === 0;
  if (createPipeline) {
    await createStandardPipeline({ principal, input: undefined, meta, tx: t });
    envs = await allEnvironments(t);
  }
  const position = new Map(envs.map((e, i) => [e.name, i]));

  const targets = new Map<number, ImportTarget>();
  const seen = new Map<string, string>();
  files.forEach((f, i) => {
    const r = parseImportPath(f.path);
    if (!r.ok) return fail(i, "invalid", r.detail);
    const { layer, service, env, format } = r.target;
    report[i] = { ...report[i]!, layer, service, env, format };
    if (env && !position.has(env)) {
      return fail(i, "not_found", `unknown environment ${env}: the environments are ${envs.map((e) => e.name).join(", ")}`);
    }
    const first = seen.get(layerKey(r.target));
    if (first) return fail(i, "conflict", `${f.path} and ${first} both set ${layerLabel(layer, service, env)}; keep one of them`);
    seen.set(layerKey(r.target), f.path);
    targets.set(i, r.target);
  });

  const named = [...new Set([...targets.values()].flatMap((x) => (x.service ? [x.service] : [])))];
  const existing = named.length > 0 ? await t.select({ name: services.name }).from(services).where(inArray(services.name, named)) : [];
  const newServices = named.filter((n) => !existing.some((s) => s.name === n));

  // Permissions before any content is read: the caller learns nothing about layers it may not write.
  if (newServices.length > 0) authorize(principal, "services:manage");
  for (const x of targets.values()) await authorizeLayerWrite(t, principal, x);

  const onboarded = await protectedOnboarded(t);
  for (const name of newServices) await createService({ principal, input: { name }, meta, tx: t });

  const parsed: Parsed[] = [];
  for (const [i, x] of targets) {
    let doc;
    try {
      doc = parseOrThrow(files[i]!.content, x.format);
    } catch (e) {
      if (!(e instanceof ServiceError)) throw e;
      fail(i, e.code, e.message, e.details.errors);
      continue;
    }
    const ref: LayerTarget = { layer: x.layer, service: x.service, env: x.env };
    const { service, environment, layer } = await resolveLayerTarget(t, ref, false);
    const head = layer.headRevisionId ? ((await t.select().from(configRevisions).where(eq(configRevisions.id, layer.headRevisionId)))[0] ?? null) : null;
    parsed.push({ index: i, path: files[i]!.path, ref, format: x.format, value: doc.value, source: files[i]!.content, locate: doc.locate, kind: layer.kind, layer, service, environment, head });
  }
  // Shared template, then base layers, then overlays in pipeline order: the order writes happen in.
  const rank = (p: Parsed) => (p.kind === "shared" ? -2 : p.kind === "base" ? -1 : position.get(p.environment!.name)!);
  parsed.sort((a, b) => rank(a) - rank(b) || a.index - b.index);

  const context = new Map(parsed.map((p) => [p.layer.id, p.value]));
  const checked: { p: Parsed; after: FieldError[]; introduced: Set<string>; protectedEnvs: string[] }[] = [];
  for (const p of parsed) {
    const entry = report[p.index]!;
    const d = diffConfigs((p.head?.value as ConfigObject | undefined) ?? {}, p.value);
    entry.diff = { added: d.filter((x) => x.kind === "added").length, removed: d.filter((x) => x.kind === "removed").length, changed: d.filter((x) => x.kind === "changed").length };
    if (p.head && deepEqual(p.head.value as ConfigObject, p.value)) {
      entry.action = "unchanged";
      continue;
    }
    // The rest of the batch stands in for its layers, so the batch is judged as a whole.
    const others = new Map(context);
    others.delete(p.layer.id);
    const candidate: Candidate = { kind: p.kind, layerId: p.layer.id, service: p.service, environment: p.environment, value: p.value, locate: p.locate, context: others };
    const check = await checkCandidate(t, candidate);
    const key = errorKey(p);
    let introduced = new Set(check.errors.map(key));
    if (check.errors.length > 0) {
      const before = await checkCandidate(t, { ...candidate, value: (p.head?.value as ConfigObject | undefined) ?? {}, locate: undefined });
      const had = new Set(before.errors.map(key));
      introduced = new Set([...introduced].filter((k) => !had.has(k)));
    }
    const protectedEnvs = p.environment?.protected ? [p.environment.name] : check.protectedChanges;
    checked.push({ p, after: check.errors, introduced, protectedEnvs });
  }

  // An error is charged to the files that introduce it; one that none introduces was there before
  // the import and is not fixed by it, so it blocks every file that reaches it (as a save would).
  const introducedByAny = new Set(checked.flatMap((c) => [...c.introduced]));
  const writes: PlannedWrite[] = [];
  for (const { p, after, introduced, protectedEnvs } of checked) {
    const label = layerLabel(p.kind, p.service?.name ?? null, p.environment?.name ?? null);
    const errors = after.filter((e) => introduced.has(errorKey(p)(e)) || !introducedByAny.has(errorKey(p)(e)));
    if (errors.length > 0) {
      fail(p.index, "invalid", `The change to ${label} is not valid: ${errors[0]!.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""}`, errors);
      continue;
    }
    // Decision: a protected environment accepts an import only as its first content. Onboarding a
    // platform means importing into empty layers, and there is no approved state yet for a change
    // request to compare against. An empty overlay qualifies; an empty base (or shared template)
    // only while no protected config it reaches exists yet, else it would rewrite a live one.
    // Once configured, a protected environment changes through change requests only.
    const firstContent = p.head === null && (p.kind === "overlay" || !onboarded.has(p.kind === "base" ? p.service!.name : "*"));
    if (protectedEnvs.length > 0 && !firstContent) {
      const envsText = protectedEnvs.join(", ");
      fail(p.index, "conflict", `protected: ${envsText} ${protectedEnvs.length > 1 ? "are" : "is"} protected, and importing ${p.path} would change it. Propose a change request instead (POST /api/v1/change-requests).`);
      continue;
    }
    report[p.index]!.action = newServices.includes(p.service?.name ?? "") ? "create-service" : p.head ? "change" : "create-layer";
    writes.push({ index: p.index, path: p.path, ref: p.ref, format: p.format, value: p.value, source: p.source, locate: p.locate, baseRevision: p.head?.id ?? null, allowProtected: firstContent });
  }
  return { createPipeline, newServices, newEnvironments: createPipeline ? envs.map((e) => e.name) : [], files: report, writes };
}

/**
 * Identifies an error across the checks of different layers: checkCandidate names the service and
 * environment in the message only for a base or shared layer, so an overlay's errors get it here.
 */
const errorKey = (p: Parsed) => (e: FieldError) =>
  `${e.path}\u0000${e.message}${p.service && p.environment ? ` (${p.service.name} in ${p.environment.name})` : ""}`;

/**
 * Services whose config in a protected environment already exists through their base layer or a
 * protected overlay; "*" when any does (the shared template reaches them all).
 */
async function protectedOnboarded(t: Transaction): Promise<Set<string>> {
  const rows = await t
    .select({ service: services.name })
    .from(configLayers)
    .innerJoin(services, eq(services.id, configLayers.serviceId))
    .leftJoin(environments, eq(environments.id, configLayers.environmentId))
    .where(and(gt(configLayers.headNumber, 0), or(eq(configLayers.kind, "base"), eq(environments.protected, true))));
  const names = new Set(rows.map((r) => r.service));
  if (names.size > 0) names.add("*");
  return names;
}
