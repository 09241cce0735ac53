import "server-only";
import type { LayerKind } from "@/drizzle/schema";
import type { ConfigFormat } from "@/lib/domain/parse-config-source";
import type { FieldError, ServiceErrorCode } from "../errors";

export const IMPORT_ACTIONS = ["create-service", "create-layer", "change", "unchanged", "error"] as const;
export type ImportAction = (typeof IMPORT_ACTIONS)[number];

/** What importing one file does (or would do, in a dry run). */
export interface ImportFileReport {
  path: string;
  layer: LayerKind | null;
  service: string | null;
  env: string | null;
  format: ConfigFormat | null;
  action: ImportAction;
  /** Structural diff against the layer's head (an empty layer counts as {}): counts of paths. */
  diff?: { added: number; removed: number; changed: number };
  /** Why the file cannot be imported, shaped like the problem+json a single save would answer. */
  problem?: { code: ServiceErrorCode; detail: string; errors: FieldError[] };
  /** The revision written, once the import is applied. */
  revision?: number;
}

export interface ImportReport {
  dryRun: boolean;
  /** True only when everything was written (one transaction). */
  applied: boolean;
  /** Environments created because the database had none (the standard pipeline). */
  newEnvironments: string[];
  newServices: string[];
  summary: { files: number } & Record<ImportAction, number>;
  files: ImportFileReport[];
}

export function summarize(files: ImportFileReport[]): ImportReport["summary"] {
  const summary = { files: files.length, ...Object.fromEntries(IMPORT_ACTIONS.map((a) => [a, 0])) } as ImportReport["summary"];
  for (const f of files) summary[f.action] += 1;
  return summary;
}

/** Every file's errors in one list, each path prefixed with the file ("svc/production.yaml#/database/port"). */
export function flattenErrors(files: ImportFileReport[]): FieldError[] {
  return files.flatMap((f) => {
    if (!f.problem) return [];
    const errors = f.problem.errors.length > 0 ? f.problem.errors : [{ path: "", message: f.problem.detail }];
    return errors.map((e) => ({ ...e, path: e.path ? `${f.path}#${e.path}` : f.path }));
  });
}
