import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { environmentVariables, services } from "@/drizzle/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, reader, withTransaction, type UseCaseArgs } from "../context";
import { notFound, ServiceError } from "../errors";
import { notifyConfigChanged } from "../events/notify";
import { resourceName } from "../tokens/token-schemas";
import { loadStack } from "./load-stack";
import { findEnvironment } from "./lookup";
import { resolveStack } from "./resolve-stack";

const varName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, "variable names are letters, digits and _, starting with a letter or _");
export const setVariableInput = z.object({ env: resourceName, name: varName, value: z.string().max(64 * 1024) });
const nameInput = z.object({ env: resourceName, name: varName });

export async function listVariables({ principal, input, tx }: UseCaseArgs<{ env: string }>) {
  const env = resourceName.parse(input.env);
  authorize(principal, "config:read", { environment: env });
  const db = await reader(tx);
  const e = await findEnvironment(db, env);
  const rows = await db.select().from(environmentVariables).where(eq(environmentVariables.environmentId, e.id)).orderBy(asc(environmentVariables.name));
  return rows.map((v) => ({ name: v.name, value: v.value, updatedBy: v.updatedBy, updatedAt: v.updatedAt.toISOString() }));
}

/** Variables reach every service of an environment: an administrator's change. */
export async function setVariable({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof setVariableInput>>) {
  const q = setVariableInput.parse(input);
  authorize(principal, "settings:manage");
  return withTransaction(tx, async (t) => {
    const env = await findEnvironment(t, q.env);
    const [before] = await t.select().from(environmentVariables).where(and(eq(environmentVariables.environmentId, env.id), eq(environmentVariables.name, q.name)));
    const values = { environmentId: env.id, name: q.name, value: q.value, updatedBy: principal.name, updatedAt: new Date() };
    await t.insert(environmentVariables).values(values).onConflictDoUpdate({
      target: [environmentVariables.environmentId, environmentVariables.name],
      set: { value: q.value, updatedBy: principal.name, updatedAt: new Date() },
    });
    await recordAuditEvent(t, principal, {
      action: "variable.set",
      targetType: "variable",
      targetId: `${env.name}/${q.name}`,
      environment: env.name,
      before: before ? { name: q.name, value: before.value } : null,
      after: { name: q.name, value: q.value },
    }, meta);
    await notifyConfigChanged(t, { service: null, env: env.name });
    return { name: q.name, value: q.value };
  });
}

/** Deletes a variable unless a config of the environment still refers to it. */
export async function deleteVariable({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof nameInput>>) {
  const q = nameInput.parse(input);
  authorize(principal, "settings:manage");
  return withTransaction(tx, async (t) => {
    const env = await findEnvironment(t, q.env);
    const [before] = await t.select().from(environmentVariables).where(and(eq(environmentVariables.environmentId, env.id), eq(environmentVariables.name, q.name)));
    if (!before) throw notFound(`variable ${q.name} in ${q.env}`);
    for (const svc of await t.select().from(services)) {
      const stack = await loadStack(t, svc, env, { decryptSecrets: false });
      delete stack.vars[q.name];
      stack.secrets = Object.fromEntries(stack.secretNames.map((n) => [n, ""]));
      if (!resolveStack(stack, true).ok) {
        throw new ServiceError("conflict", `The config of ${svc.name} in ${env.name} still refers to variable ${q.name}; remove the reference first.`);
      }
    }
    await t.delete(environmentVariables).where(eq(environmentVariables.id, before.id));
    await recordAuditEvent(t, principal, {
      action: "variable.deleted",
      targetType: "variable",
      targetId: `${env.name}/${q.name}`,
      environment: env.name,
      before: { name: q.name, value: before.value },
      after: null,
    }, meta);
    await notifyConfigChanged(t, { service: null, env: env.name });
    return { name: q.name, deleted: true };
  });
}
