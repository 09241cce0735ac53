import "server-only";
import { and, eq } from "drizzle-orm";
import { configLayers, driftStatus, policies } from "@/drizzle/schema";
import type { ConfigObject, FieldError } from "@/lib/domain/config-value";
import { diffConfigs, maskDiff, type DiffEntry } from "@/lib/domain/diff-configs";
import { evaluatePolicies, type Policy } from "@/lib/domain/evaluate-policies";
import { formatDuration } from "@/lib/domain/health";
import { compileConfigSchema } from "@/lib/domain/validate-schema";
import type { DbOrTx } from "@/lib/db/client";
import { loadStack } from "../configs/load-stack";
import { findService } from "../configs/lookup";
import { resolveStack } from "../configs/resolve-stack";
import { currentSchema } from "../configs/schemas";
import type { LoadedRequest } from "./load";
import { soakFailure } from "./soak-check";

export type CheckId = "head" | "schema" | "policies" | "secrets" | "drift" | "soak";

export interface Check {
  id: CheckId;
  label: string;
  ok: boolean;
  /** Why it failed, per service; empty when ok. */
  failures: string[];
  /** Warning-severity policy findings: they inform, they do not block. */
  warnings: string[];
}

export interface ItemPreview {
  service: string;
  /** What the target's resolved config becomes, path by path, secrets masked. */
  changes: DiffEntry[];
}

const LABELS: Record<CheckId, string> = {
  head: "The target is unchanged since the request was made",
  schema: "The result is valid against the service's schema",
  policies: "Policies of error severity pass",
  secrets: "Every referenced secret exists in the target",
  drift: "The target is not drifted (or the drift was acknowledged)",
  soak: "The source ran these revisions in sync and healthy for the soak time",
};

/** Runs every check of a change request against the database as it is now. */
export async function runChecks(db: DbOrTx, req: LoadedRequest): Promise<{ checks: Check[]; previews: ItemPreview[] }> {
  const found: Record<CheckId, Check> = Object.fromEntries(
    (Object.keys(LABELS) as CheckId[]).map((id): [CheckId, Check] => [id, { id, label: LABELS[id], ok: true, failures: [], warnings: [] }]),
  ) as unknown as Record<CheckId, Check>;
  const fail = (id: CheckId, msg: string) => {
    found[id].ok = false;
    found[id].failures.push(msg);
  };
  // Verified promotion: only when the target's rule asks for a soak and there is a source environment.
  const soakMinutes = req.source ? req.target.soakMinutes : 0;
  if (soakMinutes <= 0) delete (found as Partial<Record<CheckId, Check>>).soak;
  else found.soak.label = `${req.source!.name} ran these revisions in sync and healthy for ${formatDuration(soakMinutes * 60_000)}`;
  const policyRows = (await db.select().from(policies)) as Policy[];
  const previews: ItemPreview[] = [];

  for (const item of req.items) {
    const [layer] = await db.select().from(configLayers).where(eq(configLayers.id, item.layerId));
    if ((layer?.headRevisionId ?? null) !== item.baseRevisionId) {
      fail("head", `${item.serviceName}: ${req.target.name} moved to r${layer?.headNumber ?? 0} since the request was made; refresh it`);
    }
    const service = await findService(db, item.serviceName);
    const override = new Map([[item.layerId, { id: "proposed", number: 0, value: item.value as ConfigObject }]]);
    const after = await loadStack(db, service, req.target, { overrides: override, decryptSecrets: false });
    const names = Object.fromEntries(after.secretNames.map((n) => [n, ""]));
    after.secrets = names;
    const resolved = resolveStack(after, true);
    const before = await loadStack(db, service, req.target, { decryptSecrets: false });
    before.secrets = names;
    const current = resolveStack(before, true);

    if (!resolved.ok) {
      for (const e of resolved.errors) fail(/secret/.test(e.message) ? "secrets" : "schema", `${item.serviceName}: ${describe(e)}`);
      previews.push({ service: item.serviceName, changes: [] });
      continue;
    }
    const secretPaths = [...resolved.secretPaths, ...(current.ok ? current.secretPaths : [])];
    previews.push({
      service: item.serviceName,
      changes: maskDiff(diffConfigs(current.ok ? current.value : {}, resolved.value), secretPaths),
    });
    const schemaRow = await currentSchema(db, service.id);
    if (schemaRow?.schema) {
      const compiled = compileConfigSchema(schemaRow.schema);
      if (compiled.ok) for (const e of compiled.validate(resolved.value)) fail("schema", `${item.serviceName}: ${describe(e)}`);
    }
    for (const v of evaluatePolicies(policyRows, { service: item.serviceName, env: req.target.name, value: resolved.value })) {
      const msg = `${item.serviceName}: policy ${v.policy} (${v.description}) fails at ${v.errors.map(describe).join("; ")}`;
      if (v.severity === "error") fail("policies", msg);
      else found.policies.warnings.push(msg);
    }
    const [drift] = await db
      .select()
      .from(driftStatus)
      .where(and(eq(driftStatus.serviceId, service.id), eq(driftStatus.environmentId, req.target.id)));
    if (drift?.status === "drifted" && !drift.acknowledgedAt) {
      fail("drift", `${item.serviceName}: ${req.target.name} is drifted since ${drift.since.toISOString()} and nobody acknowledged it`);
    }
    if (soakMinutes > 0) {
      const why = await soakFailure(db, service, req.source!, soakMinutes);
      if (why) fail("soak", why);
    }
  }
  return { checks: Object.values(found), previews };
}

function describe(e: FieldError): string {
  return `${e.path || "/"} ${e.message}`;
}

export function checksPass(checks: Check[]): boolean {
  return checks.every((c) => c.ok);
}
