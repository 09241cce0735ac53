import "server-only";
import { z } from "zod";
import { schemaRevisions } from "@/drizzle/schema";
import { canonicalJson, sha256Hex } from "@/lib/domain/canonical-json";
import { compileConfigSchema } from "@/lib/domain/validate-schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, reader, withTransaction, type UseCaseArgs } from "../context";
import { invalid, ServiceError } from "../errors";
import { resourceName } from "../tokens/token-schemas";
import { loadStack } from "./load-stack";
import { allEnvironments, findService } from "./lookup";
import { resolveStack } from "./resolve-stack";
import { currentSchema } from "./schemas";
import { MAX_INT } from "@/lib/domain/names";

export const putSchemaInput = z.object({
  service: resourceName,
  schema: z.record(z.string(), z.unknown()).nullable(),
  message: z.string().trim().min(1, "say in a message what this schema change does").max(500),
  baseVersion: z.number().int().min(0).max(MAX_INT),
});

/** A new version of a service's JSON Schema; refused if it is not valid JSON Schema or a current config fails it. */
export async function putSchema({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof putSchemaInput>>) {
  const q = putSchemaInput.parse(input);
  authorize(principal, "settings:manage");
  const compiled = q.schema ? compileConfigSchema(q.schema) : null;
  if (compiled && !compiled.ok) throw invalid("This is not a valid JSON Schema (draft 2020-12).", compiled.errors);
  return withTransaction(tx, async (t) => {
    const service = await findService(t, q.service);
    const current = await currentSchema(t, service.id);
    if ((current?.number ?? 0) !== q.baseVersion) {
      throw new ServiceError("conflict", `The schema of ${q.service} is at version ${current?.number ?? 0}, not ${q.baseVersion}: reload and re-apply your change.`, {
        currentVersion: current?.number ?? 0,
      });
    }
    if (compiled?.ok) {
      const errors = [];
      for (const env of await allEnvironments(t)) {
        const stack = await loadStack(t, service, env, { decryptSecrets: false });
        stack.secrets = Object.fromEntries(stack.secretNames.map((n) => [n, ""]));
        const r = resolveStack(stack, true);
        if (r.ok) errors.push(...compiled.validate(r.value).map((e) => ({ ...e, message: `${e.message} (in ${env.name})` })));
      }
      if (errors.length > 0) throw invalid(`The current config of ${q.service} does not satisfy this schema.`, errors);
    }
    const [row] = await t
      .insert(schemaRevisions)
      .values({
        serviceId: service.id,
        number: (current?.number ?? 0) + 1,
        schema: q.schema,
        hash: sha256Hex(canonicalJson(q.schema)),
        authorId: principal.id,
        authorName: principal.name,
        message: q.message,
      })
      .returning();
    await recordAuditEvent(t, principal, {
      action: "schema.saved",
      targetType: "schema",
      targetId: service.id,
      service: service.name,
      before: current ? { version: current.number, schema: current.schema } : null,
      after: { version: row!.number, schema: q.schema, message: q.message },
    }, meta);
    return schemaView(row!);
  });
}

export async function getSchema({ principal, input, tx }: { principal: Parameters<typeof authorize>[0]; input: { service: string }; tx?: Parameters<typeof reader>[0] }) {
  authorize(principal, "config:read", { service: input.service });
  const db = await reader(tx);
  const service = await findService(db, resourceName.parse(input.service));
  const row = await currentSchema(db, service.id);
  return row ? schemaView(row) : { service: input.service, version: 0, schema: null };
}

function schemaView(r: typeof schemaRevisions.$inferSelect) {
  return { version: r.number, schema: r.schema, hash: r.hash, authorName: r.authorName, message: r.message, createdAt: r.createdAt.toISOString() };
}
