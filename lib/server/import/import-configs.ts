import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Principal } from "@/lib/auth/permissions";
import type { Transaction } from "@/lib/db/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { createService } from "../catalog/create-service";
import { createStandardPipeline } from "../catalog/create-standard-pipeline";
import { resolveLayerTarget, writeRevision } from "../configs/save-layer";
import { authorize, withTransaction, type RequestMeta, type UseCaseArgs } from "../context";
import { ServiceError } from "../errors";
import { flattenErrors, summarize, type ImportReport } from "./import-report";
import { planImport, type ImportFileInput, type ImportPlan } from "./plan-import";

export const importFile = z.object({
  path: z.string().trim().min(1, "every file needs its path").max(300),
  content: z.string(),
});

export const importConfigsInput = z.object({
  files: z.array(importFile).min(1, "send at least one file").max(2000, "import at most 2000 files at once"),
  dryRun: z.boolean().default(false),
  message: z.string().trim().max(400).optional(),
});
export type ImportConfigsInput = z.input<typeof importConfigsInput>;

/**
 * Imports a directory of existing config files, each becoming a revision of its layer. The report
 * comes first; a dry run stops there. Otherwise, if any file has a problem nothing is written (422
 * with the report), else every service and revision is written in one transaction.
 */
export async function importConfigs({ principal, input, meta, tx }: UseCaseArgs<ImportConfigsInput>): Promise<ImportReport> {
  authorize(principal, "config:write");
  const q = importConfigsInput.parse(input);
  return withTransaction(tx, async (t) => {
    const plan = await planInSavepoint(t, principal, q.files, meta);
    const report: ImportReport = {
      dryRun: q.dryRun,
      applied: false,
      newEnvironments: plan.newEnvironments,
      newServices: plan.newServices,
      summary: summarize(plan.files),
      files: plan.files,
    };
    if (report.summary.error > 0 && !q.dryRun) {
      const n = report.summary.error;
      throw new ServiceError(
        "invalid",
        `${n} of ${report.summary.files} files cannot be imported, so nothing was imported. Fix ${n === 1 ? "it" : "them"} (see report.files) and import again.`,
        { report, errors: flattenErrors(report.files) },
      );
    }
    if (q.dryRun) return report;
    await applyPlan(t, principal, plan, report, q.message, meta);
    return { ...report, applied: true };
  });
}

class PlanReady {
  constructor(readonly plan: ImportPlan) {}
}

/** Plans inside a savepoint that is always rolled back, so that planning leaves nothing behind. */
async function planInSavepoint(t: Transaction, principal: Principal, files: ImportFileInput[], meta?: RequestMeta): Promise<ImportPlan> {
  try {
    await t.transaction(async (sp) => {
      throw new PlanReady(await planImport(sp, principal, files, meta));
    });
  } catch (e) {
    if (e instanceof PlanReady) return e.plan;
    throw e;
  }
  throw new Error("planning ended without a plan");
}

async function applyPlan(t: Transaction, principal: Principal, plan: ImportPlan, report: ImportReport, message: string | undefined, meta?: RequestMeta) {
  if (plan.createPipeline) await createStandardPipeline({ principal, input: undefined, meta, tx: t });
  for (const name of plan.newServices) await createService({ principal, input: { name }, meta, tx: t });

  const layerIds: string[] = [];
  for (const w of plan.writes) layerIds.push((await resolveLayerTarget(t, w.ref, false)).layer.id);
  const written = [];
  for (const [i, w] of plan.writes.entries()) {
    // Files not yet written stand in for their layers, so an intermediate state (a new base with
    // the old overlays) is not mistaken for the result.
    const pending = new Map(plan.writes.slice(i + 1).map((later, j) => [layerIds[i + 1 + j]!, later.value]));
    const text = (message ? `${message} (imported from ${w.path})` : `Imported from ${w.path}`).slice(0, 500);
    const r = await writeRevision(
      t,
      principal,
      { ...w.ref, format: w.format, message: text, baseRevision: w.baseRevision },
      { value: w.value, source: w.source, locate: w.locate },
      meta,
      "config.imported",
      { allowProtected: w.allowProtected, pending, extraAudit: { importedFrom: w.path } },
    );
    report.files[w.index]!.revision = r.revision.number;
    written.push({ path: w.path, layer: r.layer, service: r.service, env: r.env, revision: r.revision.number });
  }
  await recordAuditEvent(t, principal, {
    action: "configs.imported",
    targetType: "import",
    targetId: randomUUID(),
    after: { environmentsCreated: plan.newEnvironments, servicesCreated: plan.newServices, revisions: written, summary: report.summary },
  }, meta);
}
