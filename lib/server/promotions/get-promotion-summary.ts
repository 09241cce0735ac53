import "server-only";
import { and, count, desc, eq, isNotNull, isNull } from "drizzle-orm";
import { changeRequests, environments } from "@/drizzle/schema";
import { authorize, reader, type UseCaseArgs } from "../context";
import { awaitingDecision } from "./list-change-requests";

const SHOWN = 5;

/**
 * The overview's promotions card: what waits for approvals, what waits for the signed-in person,
 * and emergency bypasses nobody has reviewed yet (they stay flagged until someone does).
 */
export async function getPromotionSummary({ principal, tx }: UseCaseArgs<void>) {
  authorize(principal, "changes:read");
  const db = await reader(tx);
  const pick = { id: changeRequests.id, number: changeRequests.number, title: changeRequests.title, to: environments.name, authorName: changeRequests.authorName, at: changeRequests.createdAt, appliedAt: changeRequests.appliedAt, appliedBy: changeRequests.appliedBy, bypassReason: changeRequests.bypassReason };
  const inReview = eq(changeRequests.state, "in_review");
  const unreviewedBypass = and(eq(changeRequests.state, "applied"), isNotNull(changeRequests.bypassReason), isNull(changeRequests.bypassReviewedAt));

  const list = (where: ReturnType<typeof and>) =>
    db.select(pick).from(changeRequests).innerJoin(environments, eq(environments.id, changeRequests.targetEnvironmentId)).where(where).orderBy(desc(changeRequests.number)).limit(SHOWN);
  const total = async (where: ReturnType<typeof and>) => (await db.select({ n: count() }).from(changeRequests).where(where))[0]?.n ?? 0;
  const view = (r: Awaited<ReturnType<typeof list>>[number]) => ({
    id: r.id,
    number: r.number,
    title: r.title,
    to: r.to,
    authorName: r.authorName,
    createdAt: r.at.toISOString(),
    appliedAt: r.appliedAt?.toISOString() ?? null,
    appliedBy: r.appliedBy,
    bypassReason: r.bypassReason,
  });

  return {
    awaitingApproval: { total: await total(inReview), items: (await list(inReview)).map(view) },
    readyToApply: await total(eq(changeRequests.state, "approved")),
    awaitingMe: (await awaitingDecision(db, principal)).length,
    unreviewedBypasses: { total: await total(unreviewedBypass), items: (await list(unreviewedBypass)).map(view) },
  };
}
