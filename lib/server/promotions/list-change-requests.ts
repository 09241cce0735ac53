import "server-only";
import { and, desc, eq, inArray, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import { changeRequestDecisions, changeRequests, environments } from "@/drizzle/schema";
import { can, type Principal } from "@/lib/auth/permissions";
import { approvalState, mayDecide } from "@/lib/domain/change-request";
import type { DbOrTx } from "@/lib/db/client";
import { authorize, reader, type UseCaseArgs } from "../context";
import { MAX_INT } from "@/lib/domain/names";

export const CR_FILTERS = ["open", "awaiting-me", "mine", "applied", "all"] as const;
export const listChangeRequestsInput = z.object({
  filter: z.enum(CR_FILTERS).default("open"),
  cursor: z.coerce.number().int().min(1).max(MAX_INT).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

const OPEN_STATES = ["draft", "in_review", "approved", "outdated"] as const;

export async function listChangeRequests({ principal, input, tx }: UseCaseArgs<z.input<typeof listChangeRequestsInput>>) {
  authorize(principal, "changes:read");
  const q = listChangeRequestsInput.parse(input);
  const db = await reader(tx);
  if (q.filter === "awaiting-me") {
    const items = await awaitingDecision(db, principal);
    return { items, nextCursor: null };
  }
  const where: (SQL | undefined)[] = [q.cursor ? lt(changeRequests.number, q.cursor) : undefined];
  if (q.filter === "open") where.push(inArray(changeRequests.state, [...OPEN_STATES]));
  if (q.filter === "applied") where.push(eq(changeRequests.state, "applied"));
  if (q.filter === "mine") where.push(eq(changeRequests.authorId, principal.id));
  const rows = await db
    .select({ cr: changeRequests, target: environments.name })
    .from(changeRequests)
    .innerJoin(environments, eq(environments.id, changeRequests.targetEnvironmentId))
    .where(and(...where))
    .orderBy(desc(changeRequests.number))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { items: page.map((r) => summary(r.cr, r.target)), nextCursor: rows.length > q.limit ? String(page.at(-1)!.cr.number) : null };
}

/** Requests in review that this person may still approve (not their own, not yet decided). */
export async function awaitingDecision(db: DbOrTx, principal: Principal) {
  if (!can(principal, "changes:approve")) return [];
  const rows = await db
    .select({ cr: changeRequests, env: environments })
    .from(changeRequests)
    .innerJoin(environments, eq(environments.id, changeRequests.targetEnvironmentId))
    .where(eq(changeRequests.state, "in_review"))
    .orderBy(desc(changeRequests.number))
    .limit(500);
  if (rows.length === 0) return [];
  const decisions = await db.select().from(changeRequestDecisions).where(inArray(changeRequestDecisions.changeRequestId, rows.map((r) => r.cr.id)));
  const roles = principal.roles.map((r) => r.role);
  return rows
    .filter((r) => {
      const rule = { requiredApprovals: r.env.requiredApprovals, approverRoles: r.env.approverRoles, allowBypass: r.env.allowBypass };
      const mine = decisions.filter((d) => d.changeRequestId === r.cr.id);
      return can(principal, "changes:approve", { environment: r.env.name }) && mayDecide({ id: principal.id, roles }, r.cr, rule, mine).ok && !approvalState(rule, mine, r.cr.contentVersion).met;
    })
    .map((r) => summary(r.cr, r.env.name));
}

export async function countAwaitingDecision({ principal, tx }: UseCaseArgs<void>): Promise<number> {
  authorize(principal, "changes:read");
  return (await awaitingDecision(await reader(tx), principal)).length;
}

function summary(cr: typeof changeRequests.$inferSelect, target: string) {
  return {
    id: cr.id,
    number: cr.number,
    kind: cr.kind,
    title: cr.title,
    state: cr.state,
    to: target,
    authorName: cr.authorName,
    createdAt: cr.createdAt.toISOString(),
    appliedAt: cr.appliedAt?.toISOString() ?? null,
    bypass: Boolean(cr.bypassReason),
    bypassReviewed: Boolean(cr.bypassReviewedAt),
  };
}
