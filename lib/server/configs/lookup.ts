import "server-only";
import { and, asc, eq, isNull } from "drizzle-orm";
import { configLayers, environments, services, type LayerKind } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { notFound } from "../errors";

export type ServiceRow = typeof services.$inferSelect;
export type EnvironmentRow = typeof environments.$inferSelect;
export type LayerRow = typeof configLayers.$inferSelect;

export async function findService(db: DbOrTx, name: string): Promise<ServiceRow> {
  const [row] = await db.select().from(services).where(eq(services.name, name));
  if (!row) throw notFound(`service ${name}`);
  return row;
}

export async function findEnvironment(db: DbOrTx, name: string): Promise<EnvironmentRow> {
  const [row] = await db.select().from(environments).where(eq(environments.name, name));
  if (!row) throw notFound(`environment ${name}`);
  return row;
}

export async function allEnvironments(db: DbOrTx): Promise<EnvironmentRow[]> {
  return db.select().from(environments).orderBy(asc(environments.position));
}

export interface LayerScope {
  kind: LayerKind;
  serviceId: string | null;
  environmentId: string | null;
}

export function layerScopeWhere(scope: LayerScope) {
  return and(
    eq(configLayers.kind, scope.kind),
    scope.serviceId ? eq(configLayers.serviceId, scope.serviceId) : isNull(configLayers.serviceId),
    scope.environmentId ? eq(configLayers.environmentId, scope.environmentId) : isNull(configLayers.environmentId),
  );
}

/** The layer row of a scope, created on first use (layers exist for every service × environment). */
export async function ensureLayer(db: DbOrTx, scope: LayerScope, lock = false): Promise<LayerRow> {
  const select = () => {
    const q = db.select().from(configLayers).where(layerScopeWhere(scope));
    return lock ? q.for("update") : q;
  };
  const [found] = await select();
  if (found) return found;
  await db.insert(configLayers).values(scope).onConflictDoNothing();
  const [row] = await select();
  return row!;
}

export function layerLabel(kind: LayerKind, service: string | null, env: string | null): string {
  if (kind === "shared") return "the shared template";
  if (kind === "base") return `${service}'s base layer`;
  return `${service} in ${env}`;
}
