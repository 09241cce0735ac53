import "server-only";
import { asc, eq, inArray } from "drizzle-orm";
import type { Permission, Principal } from "@/lib/auth/permissions";
import { changeRequestComments, changeRequestDecisions, changeRequestItems, changeRequests, environments, outboxEvents, services } from "@/drizzle/schema";
import type { ApprovalRule } from "@/lib/domain/change-request";
import type { DbOrTx } from "@/lib/db/client";
import { authorize } from "../context";
import { notFound } from "../errors";
import type { EnvironmentRow } from "../configs/lookup";

export type CrRow = typeof changeRequests.$inferSelect;
export type CrItemRow = typeof changeRequestItems.$inferSelect;

export interface LoadedRequest {
  cr: CrRow;
  items: (CrItemRow & { serviceName: string })[];
  target: EnvironmentRow;
  source: EnvironmentRow | null;
  decisions: (typeof changeRequestDecisions.$inferSelect)[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A change request by id or number, with its items, environments and decisions; `lock` takes it FOR UPDATE. */
export async function loadRequest(db: DbOrTx, idOrNumber: string, lock = false): Promise<LoadedRequest> {
  const isNumber = /^\d{1,9}$/.test(idOrNumber);
  // Anything else than a number or a uuid would make PostgreSQL fail the cast (a 500): it names nothing.
  if (!isNumber && !UUID.test(idOrNumber)) throw notFound(`change request ${idOrNumber}`);
  const where = isNumber ? eq(changeRequests.number, Number(idOrNumber)) : eq(changeRequests.id, idOrNumber);
  const q = db.select().from(changeRequests).where(where);
  const [cr] = lock ? await q.for("update") : await q;
  if (!cr) throw notFound(`change request ${idOrNumber}`);
  const items = await db
    .select({ item: changeRequestItems, serviceName: services.name })
    .from(changeRequestItems)
    .innerJoin(services, eq(services.id, changeRequestItems.serviceId))
    .where(eq(changeRequestItems.changeRequestId, cr.id))
    .orderBy(asc(services.name));
  const envIds = [cr.targetEnvironmentId, ...(cr.sourceEnvironmentId ? [cr.sourceEnvironmentId] : [])];
  const envs = await db.select().from(environments).where(inArray(environments.id, envIds));
  const decisions = await db
    .select()
    .from(changeRequestDecisions)
    .where(eq(changeRequestDecisions.changeRequestId, cr.id))
    .orderBy(asc(changeRequestDecisions.createdAt));
  return {
    cr,
    items: items.map((r) => ({ ...r.item, serviceName: r.serviceName })),
    target: envs.find((e) => e.id === cr.targetEnvironmentId)!,
    source: envs.find((e) => e.id === cr.sourceEnvironmentId) ?? null,
    decisions,
  };
}

export async function loadComments(db: DbOrTx, crId: string) {
  return db.select().from(changeRequestComments).where(eq(changeRequestComments.changeRequestId, crId)).orderBy(asc(changeRequestComments.createdAt));
}

export function ruleOf(env: EnvironmentRow): ApprovalRule {
  return { requiredApprovals: env.requiredApprovals, approverRoles: env.approverRoles, allowBypass: env.allowBypass };
}

/**
 * Where a request applies, as its audit events and outbox payloads name it: live updates and
 * webhooks tell only those who may read the target environment and every service it changes.
 */
export function scopeOf(req: { items: { serviceName: string }[]; target: { name: string } }) {
  const services = req.items.map((i) => i.serviceName);
  return { service: services.length === 1 ? services[0]! : null, services, environment: req.target.name };
}

/** Records a domain event for the webhook delivery job, in the caller's transaction. */
export async function emitEvent(db: DbOrTx, type: string, payload: Record<string, unknown>): Promise<void> {
  await db.insert(outboxEvents).values({ type, payload });
}

/**
 * A verb on a change request needs its permission in the target environment and for every service
 * the request changes: a token limited to some services cannot act on another service's request.
 */
export function authorizeOnRequest(
  principal: Principal,
  permission: Permission,
  req: { items: { serviceName: string }[]; target: { name: string } },
): void {
  authorize(principal, permission, { environment: req.target.name });
  for (const item of req.items) authorize(principal, permission, { service: item.serviceName, environment: req.target.name });
}
