import "server-only";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { policies } from "@/drizzle/schema";
import { compileConfigSchema } from "@/lib/domain/validate-schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, reader, withTransaction, type UseCaseArgs } from "../context";
import { invalid, notFound, ServiceError } from "../errors";
import { resourceName } from "../tokens/token-schemas";
import { MAX_INT } from "@/lib/domain/names";

export const policyInput = z.object({
  name: resourceName,
  description: z.string().trim().max(500).default(""),
  environments: z.array(resourceName).min(1, "a policy applies to at least one environment"),
  services: z.array(resourceName).nullable().default(null),
  severity: z.enum(["error", "warning"]),
  rule: z.record(z.string(), z.unknown()),
  /** For updates: the version the edit started from. */
  baseVersion: z.number().int().min(0).max(MAX_INT).optional(),
});

export type PolicyView = ReturnType<typeof view>;

function view(p: typeof policies.$inferSelect) {
  return { name: p.name, description: p.description, environments: p.environments, services: p.services ?? null, severity: p.severity, rule: p.rule, version: p.version, updatedAt: p.updatedAt.toISOString() };
}

export async function listPolicies({ principal, tx }: UseCaseArgs<void>) {
  authorize(principal, "config:read");
  const db = await reader(tx);
  return (await db.select().from(policies).orderBy(asc(policies.name))).map(view);
}

/** Creates or replaces a policy (admin); the rule must be a valid JSON Schema fragment. */
export async function putPolicy({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof policyInput>>) {
  const q = policyInput.parse(input);
  authorize(principal, "settings:manage");
  const compiled = compileConfigSchema(q.rule);
  if (!compiled.ok) throw invalid("The rule is not a valid JSON Schema (draft 2020-12).", compiled.errors);
  return withTransaction(tx, async (t) => {
    const [before] = await t.select().from(policies).where(eq(policies.name, q.name)).for("update");
    if (before && q.baseVersion !== undefined && q.baseVersion !== before.version) {
      throw new ServiceError("conflict", `Policy ${q.name} is at version ${before.version}, not ${q.baseVersion}: reload and re-apply your change.`);
    }
    const values = { description: q.description, environments: q.environments, services: q.services, severity: q.severity, rule: q.rule, updatedAt: new Date() };
    const [row] = before
      ? await t.update(policies).set({ ...values, version: before.version + 1 }).where(eq(policies.id, before.id)).returning()
      : await t.insert(policies).values({ name: q.name, ...values }).returning();
    await recordAuditEvent(t, principal, { action: before ? "policy.updated" : "policy.created", targetType: "policy", targetId: row!.id, before: before ? view(before) : null, after: view(row!) }, meta);
    return view(row!);
  });
}

export async function deletePolicy({ principal, input, meta, tx }: UseCaseArgs<{ name: string }>) {
  authorize(principal, "settings:manage");
  const name = resourceName.parse(input.name);
  return withTransaction(tx, async (t) => {
    const [before] = await t.select().from(policies).where(eq(policies.name, name));
    if (!before) throw notFound(`policy ${name}`);
    await t.delete(policies).where(eq(policies.id, before.id));
    await recordAuditEvent(t, principal, { action: "policy.deleted", targetType: "policy", targetId: before.id, before: view(before), after: null }, meta);
    return { name, deleted: true };
  });
}
