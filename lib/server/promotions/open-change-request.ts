import "server-only";
import { and, asc, desc, eq, isNotNull } from "drizzle-orm";
import { stringify } from "yaml";
import { z } from "zod";
import { changeRequestItems, changeRequests, configRevisions } from "@/drizzle/schema";
import { deepEqual, type ConfigObject } from "@/lib/domain/config-value";
import type { DiffEntry } from "@/lib/domain/diff-configs";
import { proposePromotion } from "@/lib/domain/promotion";
import type { DbOrTx, Transaction } from "@/lib/db/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { invalid } from "../errors";
import { resourceName } from "../tokens/token-schemas";
import { allEnvironments, ensureLayer, findEnvironment, findService, type EnvironmentRow, type LayerRow, type ServiceRow } from "../configs/lookup";
import { parseOrThrow } from "../configs/parse-source";
import { SOURCE_FORMATS } from "../configs/save-layer";
import { emitEvent } from "./load";

const common = { title: z.string().trim().max(200).optional(), description: z.string().max(5000).default("") };
export const openChangeRequestInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("promotion"), services: z.array(resourceName).min(1).max(200), from: resourceName, to: resourceName, ...common }),
  z.object({ kind: z.literal("edit"), service: resourceName, env: resourceName, content: z.string(), format: z.enum(SOURCE_FORMATS), ...common }),
]);
export type OpenChangeRequestInput = z.input<typeof openChangeRequestInput>;

export interface ProposedItem {
  service: ServiceRow;
  layerId: string;
  baseRevisionId: string | null;
  sourceRevisionId: string | null;
  format: "yaml" | "json" | "env";
  source: string;
  value: ConfigObject;
}

/** Opens a change request in review: a promotion to the next environment, or an edit of a protected one. */
export async function openChangeRequest({ principal, input, meta, tx }: UseCaseArgs<OpenChangeRequestInput>) {
  const q = openChangeRequestInput.parse(input);
  const targetName = q.kind === "promotion" ? q.to : q.env;
  authorize(principal, "changes:create", { environment: targetName });
  // A token limited to some services may propose changes to those only.
  for (const service of q.kind === "promotion" ? q.services : [q.service]) {
    authorize(principal, "changes:create", { environment: targetName, service });
  }
  const parsed = q.kind === "edit" ? parseOrThrow(q.content, q.format) : null;
  return withTransaction(tx, async (t) => {
    const target = await findEnvironment(t, targetName);
    let source: EnvironmentRow | null = null;
    let items: ProposedItem[];
    if (q.kind === "promotion") {
      source = await findEnvironment(t, q.from);
      const envs = await allEnvironments(t);
      const next = envs[envs.findIndex((e) => e.id === source!.id) + 1];
      if (next?.id !== target.id) {
        throw invalid(`${q.from} promotes to ${next?.name ?? "nothing (it is the last environment)"}, not to ${q.to}: the pipeline is ${envs.map((e) => e.name).join(" → ")}`);
      }
      items = [];
      for (const name of [...new Set(q.services)]) {
        const item = await proposeFor(t, await findService(t, name), source, target);
        if (item) items.push(item);
      }
      if (items.length === 0) throw invalid(`Nothing to promote: ${q.from} has not changed since it was last promoted to ${q.to}.`);
    } else {
      const service = await findService(t, q.service);
      const layer = await ensureLayer(t, { kind: "overlay", serviceId: service.id, environmentId: target.id });
      items = [{ service, layerId: layer.id, baseRevisionId: layer.headRevisionId, sourceRevisionId: null, format: q.format, source: q.content, value: parsed!.value }];
    }
    const title = q.title || defaultTitle(q.kind, items, source, target);
    const [cr] = await t
      .insert(changeRequests)
      .values({ kind: q.kind, title, description: q.description, sourceEnvironmentId: source?.id ?? null, targetEnvironmentId: target.id, state: "in_review", authorId: principal.id, authorName: principal.name })
      .returning();
    await insertItems(t, cr!.id, items);
    const summary = { number: cr!.number, title, kind: q.kind, from: source?.name ?? null, to: target.name, services: items.map((i) => i.service.name) };
    await recordAuditEvent(t, principal, { action: "change_request.opened", targetType: "change_request", targetId: cr!.id, environment: target.name, service: items.length === 1 ? items[0]!.service.name : null, after: summary }, meta);
    const services = summary.services;
    await emitEvent(t, "change_request.opened", {
      id: cr!.id,
      ...summary,
      state: cr!.state,
      author: principal.name,
      service: services.length === 1 ? services[0]! : null,
      environment: target.name,
    });
    return { id: cr!.id, number: cr!.number, state: cr!.state, title };
  });
}

export async function insertItems(t: Transaction, crId: string, items: ProposedItem[]) {
  await t.insert(changeRequestItems).values(
    items.map((i) => ({ changeRequestId: crId, serviceId: i.service.id, layerId: i.layerId, baseRevisionId: i.baseRevisionId, sourceRevisionId: i.sourceRevisionId, format: i.format, source: i.source, value: i.value })),
  );
}

/**
 * What promoting one service proposes: the source overlay's changes since it was last promoted
 * (or since its first revision) carried onto the target overlay. Null when there is nothing new.
 */
export async function proposeFor(t: Transaction, service: ServiceRow, source: EnvironmentRow, target: EnvironmentRow): Promise<ProposedItem | null> {
  const srcLayer = await ensureLayer(t, { kind: "overlay", serviceId: service.id, environmentId: source.id });
  const tgtLayer = await ensureLayer(t, { kind: "overlay", serviceId: service.id, environmentId: target.id });
  const p = await proposalBetween(t, service, srcLayer, tgtLayer, target);
  if (!p) return null;
  return { service, layerId: tgtLayer.id, baseRevisionId: tgtLayer.headRevisionId, sourceRevisionId: p.sourceRevisionId, format: "yaml", source: stringify(p.value), value: p.value };
}

/**
 * The read-only core of proposeFor, on layers that already exist: the pipeline view asks the same
 * question without opening anything, so both answers always agree.
 */
export async function proposalBetween(
  db: DbOrTx,
  service: ServiceRow,
  srcLayer: LayerRow,
  tgtLayer: LayerRow | null,
  target: EnvironmentRow,
): Promise<{ value: ConfigObject; carried: DiffEntry[]; sourceRevisionId: string } | null> {
  if (!srcLayer.headRevisionId) return null;
  const srcHead = await revision(db, srcLayer.headRevisionId);
  const [last] = await db
    .select({ sourceRevisionId: changeRequestItems.sourceRevisionId })
    .from(changeRequestItems)
    .innerJoin(changeRequests, eq(changeRequests.id, changeRequestItems.changeRequestId))
    .where(and(eq(changeRequestItems.serviceId, service.id), eq(changeRequests.state, "applied"), eq(changeRequests.targetEnvironmentId, target.id), isNotNull(changeRequestItems.sourceRevisionId)))
    .orderBy(desc(changeRequests.appliedAt))
    .limit(1);
  const baseline = last?.sourceRevisionId
    ? await revision(db, last.sourceRevisionId)
    : (await db.select().from(configRevisions).where(eq(configRevisions.layerId, srcLayer.id)).orderBy(asc(configRevisions.number)).limit(1))[0]!;
  const targetValue = tgtLayer?.headRevisionId ? ((await revision(db, tgtLayer.headRevisionId)).value as ConfigObject) : {};
  const { value, carried } = proposePromotion({ baseline: baseline.value as ConfigObject, source: srcHead.value as ConfigObject, target: targetValue });
  // Changes the target already has (made there too) leave nothing to promote.
  if (carried.length === 0 || deepEqual(value, targetValue)) return null;
  return { value, carried, sourceRevisionId: srcHead.id };
}

async function revision(db: DbOrTx, id: string) {
  const [row] = await db.select().from(configRevisions).where(eq(configRevisions.id, id));
  return row!;
}

function defaultTitle(kind: string, items: ProposedItem[], source: EnvironmentRow | null, target: EnvironmentRow): string {
  const what = items.length === 1 ? items[0]!.service.name : `${items.length} services`;
  return kind === "promotion" ? `Promote ${what} from ${source!.name} to ${target.name}` : `Change ${what} in ${target.name}`;
}
