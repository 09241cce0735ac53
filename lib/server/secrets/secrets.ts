import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { secretVersions } from "@/drizzle/schema";
import { decryptSecret, encryptSecret } from "@/lib/domain/secret-crypto";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, reader, withTransaction, type UseCaseArgs } from "../context";
import { notFound, ServiceError } from "../errors";
import { notifyConfigChanged } from "../events/notify";
import { resourceName } from "../tokens/token-schemas";
import { currentSecrets, loadStack } from "../configs/load-stack";
import { findEnvironment, findService } from "../configs/lookup";
import { resolveStack } from "../configs/resolve-stack";
import { emitEvent } from "../promotions/load";
import { masterKey, secretAad } from "./master-key";

const scope = z.object({ service: resourceName, env: resourceName });
export const setSecretInput = scope.extend({
  name: resourceName,
  value: z.string().min(1, "a secret cannot be empty").max(64 * 1024, "a secret is at most 64 KiB"),
});
const nameInput = scope.extend({ name: resourceName });

/** Names, versions, who and when: never a value. */
export async function listSecrets({ principal, input, tx }: UseCaseArgs<z.input<typeof scope>>) {
  const q = scope.parse(input);
  authorize(principal, "config:read", { service: q.service, environment: q.env });
  const db = await reader(tx);
  const service = await findService(db, q.service);
  const env = await findEnvironment(db, q.env);
  const rows = await currentSecrets(db, service.id, env.id);
  return rows.map((r) => ({ name: r.name, version: r.version, createdBy: r.createdBy, createdAt: r.createdAt.toISOString() }));
}

/** Stores a new version, sealed with AES-256-GCM; the audit event names the secret, never its value. */
export async function setSecret({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof setSecretInput>>) {
  const q = setSecretInput.parse(input);
  authorize(principal, "secrets:write", { service: q.service, environment: q.env });
  return withTransaction(tx, async (t) => {
    const service = await findService(t, q.service);
    const env = await findEnvironment(t, q.env);
    const version = (await latestVersion(t, service.id, env.id, q.name)) + 1;
    const ciphertext = encryptSecret(masterKey(), q.value, secretAad(service.id, env.id, q.name, version));
    await t.insert(secretVersions).values({ serviceId: service.id, environmentId: env.id, name: q.name, version, ciphertext, createdBy: principal.name });
    await recordAuditEvent(t, principal, {
      action: version === 1 ? "secret.created" : "secret.rotated",
      targetType: "secret",
      targetId: `${service.name}/${env.name}/${q.name}`,
      service: service.name,
      environment: env.name,
      before: version > 1 ? { name: q.name, version: version - 1 } : null,
      after: { name: q.name, version },
    }, meta);
    // A new value of an existing secret; the payload names it, never its value.
    if (version > 1) await emitEvent(t, "secret.rotated", { service: service.name, environment: env.name, name: q.name, version });
    await notifyConfigChanged(t, { service: service.name, env: env.name });
    return { name: q.name, version };
  });
}

/** Shows a secret's value to someone allowed to see it, and records that they did. */
export async function revealSecret({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof nameInput>>) {
  const q = nameInput.parse(input);
  authorize(principal, "secrets:read", { service: q.service, environment: q.env });
  return withTransaction(tx, async (t) => {
    const service = await findService(t, q.service);
    const env = await findEnvironment(t, q.env);
    const row = (await currentSecrets(t, service.id, env.id)).find((r) => r.name === q.name);
    if (!row) throw notFound(`secret ${q.name} of ${q.service} in ${q.env}`);
    const value = decryptSecret(masterKey(), row.ciphertext!, secretAad(service.id, env.id, row.name, row.version));
    await recordAuditEvent(t, principal, {
      action: "secret.revealed",
      targetType: "secret",
      targetId: `${service.name}/${env.name}/${q.name}`,
      service: service.name,
      environment: env.name,
      after: { name: q.name, version: row.version },
    }, meta);
    return { name: q.name, version: row.version, value };
  });
}

/** Deletes a secret (a tombstone version), unless a config still refers to it. */
export async function deleteSecret({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof nameInput>>) {
  const q = nameInput.parse(input);
  authorize(principal, "secrets:write", { service: q.service, environment: q.env });
  return withTransaction(tx, async (t) => {
    const service = await findService(t, q.service);
    const env = await findEnvironment(t, q.env);
    const current = await currentSecrets(t, service.id, env.id);
    const row = current.find((r) => r.name === q.name);
    if (!row) throw notFound(`secret ${q.name} of ${q.service} in ${q.env}`);
    const stack = await loadStack(t, service, env, { decryptSecrets: false });
    stack.secrets = Object.fromEntries(stack.secretNames.filter((n) => n !== q.name).map((n) => [n, ""]));
    const r = resolveStack(stack, true);
    if (!r.ok) {
      throw new ServiceError("conflict", `The config of ${q.service} in ${q.env} still refers to secret ${q.name}; remove the reference first.`, { errors: r.errors });
    }
    await t.insert(secretVersions).values({ serviceId: service.id, environmentId: env.id, name: q.name, version: row.version + 1, ciphertext: null, createdBy: principal.name });
    await recordAuditEvent(t, principal, {
      action: "secret.deleted",
      targetType: "secret",
      targetId: `${service.name}/${env.name}/${q.name}`,
      service: service.name,
      environment: env.name,
      before: { name: q.name, version: row.version },
      after: null,
    }, meta);
    await notifyConfigChanged(t, { service: service.name, env: env.name });
    return { name: q.name, deleted: true };
  });
}

async function latestVersion(db: Parameters<typeof currentSecrets>[0], serviceId: string, environmentId: string, name: string) {
  const [row] = await db
    .select({ version: secretVersions.version })
    .from(secretVersions)
    .where(and(eq(secretVersions.serviceId, serviceId), eq(secretVersions.environmentId, environmentId), eq(secretVersions.name, name)))
    .orderBy(desc(secretVersions.version))
    .limit(1);
  return row?.version ?? 0;
}

