import "server-only";
import { eq } from "drizzle-orm";
import { policies, services, type LayerKind } from "@/drizzle/schema";
import { evaluatePolicies, type Policy } from "@/lib/domain/evaluate-policies";
import type { ConfigObject, FieldError } from "@/lib/domain/config-value";
import { deepEqual } from "@/lib/domain/config-value";
import { compileConfigSchema } from "@/lib/domain/validate-schema";
import type { DbOrTx } from "@/lib/db/client";
import { loadStack } from "./load-stack";
import { allEnvironments, type EnvironmentRow, type ServiceRow } from "./lookup";
import { resolveStack } from "./resolve-stack";
import { currentSchema } from "./schemas";

export interface Candidate {
  kind: LayerKind;
  layerId: string;
  service: ServiceRow | null;
  environment: EnvironmentRow | null;
  value: ConfigObject;
  /** Maps a JSON pointer of the resolved config to a line and column in the candidate's source. */
  locate?: (pointer: string) => { line: number; column: number } | null;
  /**
   * Other layers of the same batch (an import), standing in for their heads on both sides of the
   * comparison: the batch is checked as a whole, and a protected change is charged to the layer that makes it.
   */
  context?: ReadonlyMap<string, ConfigObject>;
}

export interface CandidateCheck {
  errors: FieldError[];
  /** Protected environments whose resolved config the candidate would change. */
  protectedChanges: string[];
  affected: { service: string; env: string }[];
  /** Policies the result would fail: on a save they inform; errors block only promotions. */
  policyWarnings: FieldError[];
}

/**
 * Resolves every service × environment a layer change reaches, with the candidate standing in
 * for the layer's head: each must resolve (no unknown variable or secret) and satisfy its
 * service's JSON Schema. Secrets are checked by name only; no value is decrypted.
 */
export async function checkCandidate(db: DbOrTx, c: Candidate): Promise<CandidateCheck> {
  const envs = c.environment ? [c.environment] : await allEnvironments(db);
  const svcs = c.service ? [c.service] : await db.select().from(services).orderBy(services.name);
  const context = new Map([...(c.context ?? [])].map(([id, value]) => [id, { id: "pending", number: 0, value }]));
  const override = new Map([...context, [c.layerId, { id: "candidate", number: 0, value: c.value }]]);
  const errors: FieldError[] = [];
  const protectedChanges = new Set<string>();
  const affected: CandidateCheck["affected"] = [];
  const rules = (await db.select().from(policies)) as Policy[];
  const policyWarnings: FieldError[] = [];

  for (const svc of svcs) {
    const schemaRow = await currentSchema(db, svc.id);
    const schema = schemaRow?.schema ? compileConfigSchema(schemaRow.schema) : null;
    for (const env of envs) {
      affected.push({ service: svc.name, env: env.name });
      const stack = await loadStack(db, svc, env, { overrides: override, decryptSecrets: false });
      stack.secrets = Object.fromEntries(stack.secretNames.map((n) => [n, ""]));
      const where = c.service && c.environment ? "" : ` (${svc.name} in ${env.name})`;
      const after = resolveStack(stack, true);
      if (!after.ok) {
        errors.push(...after.errors.map((e) => place(c, { ...e, message: `${e.message}${where}` })));
        continue;
      }
      if (schema && schema.ok) {
        errors.push(...schema.validate(after.value).map((e) => place(c, { ...e, message: `${e.message}${where}` })));
      }
      for (const v of evaluatePolicies(rules, { service: svc.name, env: env.name, value: after.value })) {
        for (const e of v.errors) {
          policyWarnings.push(place(c, { ...e, message: `policy ${v.policy} (${v.severity}${v.severity === "error" ? ": blocks promotion" : ""}): ${e.message}${where}` }));
        }
      }
      if (env.protected) {
        const current = await loadStack(db, svc, env, { overrides: context, decryptSecrets: false });
        current.secrets = stack.secrets;
        const before = resolveStack(current, true);
        if (!before.ok || !deepEqual(before.value, after.value)) protectedChanges.add(env.name);
      }
    }
  }
  return { errors: dedupe(errors), protectedChanges: [...protectedChanges], affected, policyWarnings: dedupe(policyWarnings) };
}

function place(c: Candidate, e: FieldError): FieldError {
  const pos = c.locate?.(e.path);
  return pos ? { ...e, line: pos.line, column: pos.column } : e;
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.path}\u0000${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export async function serviceById(db: DbOrTx, id: string): Promise<ServiceRow | null> {
  const [row] = await db.select().from(services).where(eq(services.id, id));
  return row ?? null;
}
