import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { changeRequestItems, changeRequests, configLayers, configRevisions } from "@/drizzle/schema";
import { authorize, reader, type UseCaseArgs } from "../context";
import { allEnvironments, findService } from "../configs/lookup";
import { resourceName } from "../tokens/token-schemas";
import { proposalBetween } from "./open-change-request";

export const getPipelineInput = z.object({ service: resourceName });

const OPEN_STATES = ["draft", "in_review", "approved", "outdated"] as const;

/**
 * One service across the pipeline: the overlay revision each environment runs, and between
 * neighbours what a promotion would carry now. Read-only: it opens nothing and creates no layer.
 */
export async function getPipeline({ principal, input, tx }: UseCaseArgs<z.input<typeof getPipelineInput>>) {
  const q = getPipelineInput.parse(input);
  authorize(principal, "changes:read");
  authorize(principal, "config:read", { service: q.service });
  const db = await reader(tx);
  const service = await findService(db, q.service);
  const envs = await allEnvironments(db);
  const layers = await db
    .select()
    .from(configLayers)
    .where(and(eq(configLayers.kind, "overlay"), eq(configLayers.serviceId, service.id)));
  const layerOf = (envId: string) => layers.find((l) => l.environmentId === envId) ?? null;
  const headIds = layers.map((l) => l.headRevisionId).filter((x): x is string => Boolean(x));
  const heads = headIds.length
    ? await db
        .select({ id: configRevisions.id, number: configRevisions.number, authorName: configRevisions.authorName, message: configRevisions.message, createdAt: configRevisions.createdAt })
        .from(configRevisions)
        .where(inArray(configRevisions.id, headIds))
    : [];

  const stages = envs.map((e) => {
    const head = heads.find((h) => h.id === layerOf(e.id)?.headRevisionId);
    return {
      env: e.name,
      protected: e.protected,
      requiredApprovals: e.requiredApprovals,
      head: head ? { number: head.number, authorName: head.authorName, message: head.message, createdAt: head.createdAt.toISOString() } : null,
    };
  });

  const steps = [];
  for (let i = 0; i + 1 < envs.length; i++) {
    const [from, to] = [envs[i]!, envs[i + 1]!];
    const src = layerOf(from.id);
    const proposal = src ? await proposalBetween(db, service, src, layerOf(to.id), to) : null;
    const [open] = await db
      .selectDistinct({ id: changeRequests.id, number: changeRequests.number, state: changeRequests.state })
      .from(changeRequests)
      .innerJoin(changeRequestItems, eq(changeRequestItems.changeRequestId, changeRequests.id))
      .where(and(eq(changeRequestItems.serviceId, service.id), eq(changeRequests.targetEnvironmentId, to.id), inArray(changeRequests.state, [...OPEN_STATES])))
      .orderBy(desc(changeRequests.number))
      .limit(1);
    steps.push({ from: from.name, to: to.name, changes: proposal?.carried ?? [], openRequest: open ?? null });
  }
  return { service: service.name, stages, steps };
}
