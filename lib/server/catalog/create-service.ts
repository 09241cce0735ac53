import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { configLayers, services } from "@/drizzle/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { ServiceError } from "../errors";
import { allEnvironments } from "../configs/lookup";
import { resourceName } from "../tokens/token-schemas";

export const createServiceInput = z
  .object({
    name: resourceName,
    description: z.string().trim().max(500).default(""),
    owner: z.string().trim().max(100).default(""),
    tags: z.array(resourceName).max(20).default([]),
  })
  .strict();
export type CreateServiceInput = z.input<typeof createServiceInput>;

/**
 * Registers a service with an empty base layer and an empty overlay per environment, so its layers
 * can be listed and edited at once (their first save has baseRevision null).
 */
export async function createService({ principal, input, meta, tx }: UseCaseArgs<CreateServiceInput>) {
  authorize(principal, "services:manage");
  const q = createServiceInput.parse(input);
  return withTransaction(tx, async (t) => {
    const [taken] = await t.select({ id: services.id }).from(services).where(eq(services.name, q.name));
    if (taken) throw new ServiceError("conflict", `A service named ${q.name} already exists; choose another name.`, { service: q.name });
    // The unique name decides a race between two creations of one name: the loser inserts nothing.
    const [row] = await t
      .insert(services)
      .values({ name: q.name, description: q.description, owner: q.owner, tags: [...new Set(q.tags)] })
      .onConflictDoNothing({ target: services.name })
      .returning();
    if (!row) throw new ServiceError("conflict", `A service named ${q.name} was created at the same time; choose another name.`, { service: q.name });

    const envs = await allEnvironments(t);
    await t.insert(configLayers).values([
      { kind: "base" as const, serviceId: row.id, environmentId: null },
      ...envs.map((e) => ({ kind: "overlay" as const, serviceId: row.id, environmentId: e.id })),
    ]);
    const view = serviceView(row);
    await recordAuditEvent(t, principal, {
      action: "service.created",
      targetType: "service",
      targetId: row.id,
      service: row.name,
      after: { ...view, layers: ["base", ...envs.map((e) => e.name)] },
    }, meta);
    return view;
  });
}

export function serviceView(s: typeof services.$inferSelect) {
  return {
    name: s.name,
    description: s.description,
    owner: s.owner,
    tags: s.tags,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
