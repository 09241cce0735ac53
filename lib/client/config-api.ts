// The console's view of the config API: response shapes, query keys and fetchers for the service
// page. Keys live here beside their fetchers; every key starts with "config" so one invalidation
// after a save refreshes everything a layer change can reach.
import type { ConfigValue, FieldError } from "@/lib/domain/config-value";
import { getAt } from "@/lib/domain/pointer";
import { api } from "./fetcher";

export type { ConfigValue, FieldError };
export type LayerKind = "shared" | "base" | "overlay";
export type RevisionRef = { id: string; number: number };
export type Provenance = { layer: LayerKind | "variable" | "secret"; revision: RevisionRef | null; via?: string; definedIn?: LayerKind };

export interface ResolvedResponse {
  value: ConfigValue;
  provenance: Record<string, Provenance>;
  secretPaths: string[];
  secretsMasked: boolean;
  revisions: Record<LayerKind, RevisionRef | null>;
}
export interface ResolvedRow {
  pointer: string;
  value: ConfigValue | undefined;
  /** Secret name(s) the value comes through; the value is then always the placeholder. */
  secret: string | null;
  provenance: Provenance;
}
export interface ResolvedView {
  rows: ResolvedRow[];
  revisions: Record<LayerKind, RevisionRef | null>;
}

export interface RevisionView {
  id: string;
  number: number;
  format: "yaml" | "json" | "env";
  hash: string;
  authorName: string;
  message: string;
  createdAt: string;
}
export interface LayerView {
  protected: boolean;
  source: string;
  format: "yaml" | "json" | "env";
  head: RevisionView | null;
}
export interface ValidateResult {
  valid: boolean;
  stage: "parse" | "resolve";
  errors: FieldError[];
  /** Policies the result would fail: shown, not blocking a save (errors block promotions). */
  warnings: FieldError[];
  protectedChanges: string[];
}
export type DiffEntry = { path: string; kind: "added" | "removed" | "changed"; before?: ConfigValue; after?: ConfigValue };
export interface RevisionDiff {
  from: number;
  to: number;
  changes: DiffEntry[];
  fromSource: string;
  toSource: string;
}
export interface SchemaView {
  version: number;
  schema: Record<string, unknown> | null;
  authorName?: string;
  message?: string;
  createdAt?: string;
}
export interface SecretItem {
  name: string;
  version: number;
  createdBy: string;
  createdAt: string;
}
export interface EnvironmentItem {
  name: string;
  protected: boolean;
  requiredApprovals: number;
}

export type LayerRef = { kind: "overlay"; service: string; env: string } | { kind: "base"; service: string } | { kind: "shared" };

const enc = encodeURIComponent;

/** The REST path of a layer; the revisions, diff, validate and rollback endpoints hang below it. */
export function layerPath(ref: LayerRef): string {
  if (ref.kind === "shared") return "/api/v1/shared";
  if (ref.kind === "base") return `/api/v1/services/${enc(ref.service)}/base`;
  return `/api/v1/services/${enc(ref.service)}/environments/${enc(ref.env)}/layer`;
}

export function layerTitle(ref: LayerRef): string {
  if (ref.kind === "shared") return "Shared template";
  if (ref.kind === "base") return `Base of ${ref.service}`;
  return `Overlay for ${ref.env}`;
}

const refKey = (ref: LayerRef) => (ref.kind === "overlay" ? [ref.kind, ref.service, ref.env] : ref.kind === "base" ? [ref.kind, ref.service] : [ref.kind]);

export const configKeys = {
  all: () => ["config"] as const,
  resolved: (svc: string, env: string) => ["config", "resolved", svc, env] as const,
  layer: (ref: LayerRef) => ["config", "layer", ...refKey(ref)] as const,
  revisions: (ref: LayerRef) => ["config", "revisions", ...refKey(ref)] as const,
  diff: (ref: LayerRef, from: number, to: number) => ["config", "diff", ...refKey(ref), from, to] as const,
  compare: (svc: string, from: string, to: string) => ["config", "compare", svc, from, to] as const,
  schema: (svc: string) => ["config", "schema", svc] as const,
  secrets: (svc: string, env: string) => ["config", "secrets", svc, env] as const,
};

/**
 * Rows of the resolved table, one per leaf. Secret values are replaced by their placeholder even
 * for callers allowed to read them: revealing a secret goes through the audited reveal endpoint.
 */
export function toResolvedView(r: ResolvedResponse): ResolvedView {
  const secret = new Set(r.secretPaths);
  const rows = Object.entries(r.provenance).map(([pointer, provenance]): ResolvedRow => {
    const isSecret = secret.has(pointer) || provenance.layer === "secret";
    const name = isSecret ? (provenance.via ?? "?") : null;
    return { pointer, provenance, secret: name, value: isSecret ? `•••• (secret ${name})` : getAt(r.value, pointer) };
  });
  return { rows, revisions: r.revisions };
}

export const fetchResolved = async (svc: string, env: string) =>
  toResolvedView(await api<ResolvedResponse>(`/api/v1/services/${enc(svc)}/environments/${enc(env)}/resolved`));

export const fetchLayer = (ref: LayerRef) => api<LayerView>(layerPath(ref));

export const fetchRevisions = (ref: LayerRef, cursor?: string | null) =>
  api<{ items: RevisionView[]; nextCursor: string | null }>(`${layerPath(ref)}/revisions${cursor ? `?cursor=${enc(cursor)}` : ""}`);

export const fetchDiff = (ref: LayerRef, from: number, to: number) =>
  api<RevisionDiff>(`${layerPath(ref)}/diff?from=${from}&to=${to}`);

export type CompareResponse = {
  changes: (DiffEntry & { cause: "overlay" | "variable" | "secret" | "template"; byDesign: boolean })[];
  /** Null when the caller may not read drift; else the running configs' difference, if both report. */
  observed: { reported: Record<string, boolean>; reportedAt?: Record<string, string>; changes: (DiffEntry & { expected: boolean })[] } | null;
};
export const fetchCompare = (svc: string, from: string, to: string) =>
  api<CompareResponse>(`/api/v1/services/${enc(svc)}/compare?from=${enc(from)}&to=${enc(to)}`);

export const fetchSchema = (svc: string) => api<SchemaView>(`/api/v1/services/${enc(svc)}/schema`);

export const fetchSecrets = async (svc: string, env: string) =>
  (await api<{ items: SecretItem[] }>(secretsPath(svc, env))).items;

export const secretsPath = (svc: string, env: string) => `/api/v1/services/${enc(svc)}/environments/${enc(env)}/secrets`;

/** Shown the same on the server and in the browser (no locale, no time zone guessing). */
export function formatTime(iso: string): string {
  return `${iso.replace("T", " ").slice(0, 16)} UTC`;
}

/** A config value as one line of text, for tables and diffs. */
export function showValue(v: ConfigValue | undefined): string {
  if (v === undefined) return "—";
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

/** What the signed-in person may do on a service page, decided on the server from the permission matrix. */
export interface ServicePermissions {
  configWrite: Record<string, boolean>;
  secretsRead: Record<string, boolean>;
  secretsWrite: Record<string, boolean>;
  /** config:write in every environment: needed for the base layer and the shared template. */
  configWriteAll: boolean;
  settingsManage: boolean;
}
