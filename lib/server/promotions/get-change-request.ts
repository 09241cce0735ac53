import "server-only";
import { inArray } from "drizzle-orm";
import { configRevisions } from "@/drizzle/schema";
import { can, type Principal } from "@/lib/auth/permissions";
import { approvalState, FINAL_STATES, mayDecide } from "@/lib/domain/change-request";
import type { ConfigValue } from "@/lib/domain/config-value";
import { diffConfigs, type DiffEntry } from "@/lib/domain/diff-configs";
import { reader, type UseCaseArgs } from "../context";
import { loadComments, loadRequest, ruleOf, type LoadedRequest, authorizeOnRequest } from "./load";
import { checksPass, runChecks } from "./run-checks";

/** A change request as its page shows it: diff in the target, checks, approvals, comments, and what the caller may do. */
export async function getChangeRequest({ principal, input, tx }: UseCaseArgs<{ id: string }>) {
  const db = await reader(tx);
  const req = await loadRequest(db, input.id);
  authorizeOnRequest(principal, "changes:read", req);
  const open = !FINAL_STATES.has(req.cr.state);
  const { checks, previews } = open ? await runChecks(db, req) : { checks: [], previews: [] };
  const rule = ruleOf(req.target);
  const approvals = approvalState(rule, req.decisions, req.cr.contentVersion);
  const revIds = req.items.flatMap((i) => [i.baseRevisionId, i.appliedRevisionId, i.sourceRevisionId]).filter((x): x is string => Boolean(x));
  const revs = revIds.length ? await db.select({ id: configRevisions.id, number: configRevisions.number, value: configRevisions.value }).from(configRevisions).where(inArray(configRevisions.id, revIds)) : [];
  const num = (id: string | null) => (id ? (revs.find((r) => r.id === id)?.number ?? null) : null);
  const comments = await loadComments(db, req.cr.id);
  return {
    id: req.cr.id,
    number: req.cr.number,
    kind: req.cr.kind,
    title: req.cr.title,
    description: req.cr.description,
    state: req.cr.state,
    from: req.source?.name ?? null,
    to: req.target.name,
    author: { id: req.cr.authorId, name: req.cr.authorName },
    createdAt: req.cr.createdAt.toISOString(),
    appliedAt: req.cr.appliedAt?.toISOString() ?? null,
    scheduledAt: req.cr.scheduledAt?.toISOString() ?? null,
    appliedBy: req.cr.appliedBy,
    bypassReason: req.cr.bypassReason,
    bypassReviewedBy: req.cr.bypassReviewedBy,
    revertsId: req.cr.revertsId,
    rule,
    items: req.items.map((i) => ({
      service: i.serviceName,
      format: i.format,
      source: i.source,
      baseRevision: num(i.baseRevisionId),
      sourceRevision: num(i.sourceRevisionId),
      appliedRevision: num(i.appliedRevisionId),
      changes: open ? (previews.find((p) => p.service === i.serviceName)?.changes ?? []) : overlayChanges(i, revs),
    })),
    /** Open: the resolved diff in the target as it is now. Closed: what the request changed in the overlay. */
    changesScope: open ? ("resolved" as const) : ("overlay" as const),
    checks,
    checksPass: open ? checksPass(checks) : null,
    approvals: { ...approvals, required: rule.requiredApprovals },
    decisions: req.decisions.map((d) => ({ userId: d.userId, userName: d.userName, decision: d.decision, comment: d.comment, contentVersion: d.contentVersion, current: d.contentVersion === req.cr.contentVersion, at: d.createdAt.toISOString() })),
    comments: comments.map((c) => ({ id: c.id, authorName: c.authorName, body: c.body, createdAt: c.createdAt.toISOString() })),
    actions: actionsFor(principal, req, approvals.met, open ? checksPass(checks) : false),
  };
}

/**
 * A closed request is not previewed against today's target (which has moved on since): it shows
 * the overlay change it proposed, base revision → proposed value. Overlays hold secret references
 * (`${secret:NAME}`), never secret values.
 */
function overlayChanges(item: LoadedRequest["items"][number], revs: { id: string; value: unknown }[]): DiffEntry[] {
  const base = revs.find((r) => r.id === item.baseRevisionId)?.value ?? {};
  return diffConfigs(base as ConfigValue, item.value as ConfigValue);
}

/** The buttons the caller may use: the same rules the use cases enforce. */
function actionsFor(principal: Principal, req: LoadedRequest, approvalsMet: boolean, checksOk: boolean) {
  const env = { environment: req.target.name };
  const state = req.cr.state;
  const decide =
    can(principal, "changes:approve", env) &&
    mayDecide({ id: principal.id, roles: principal.roles.map((r) => r.role) }, req.cr, ruleOf(req.target), req.decisions).ok;
  const isAuthorOrAdmin = req.cr.authorId === principal.id || can(principal, "settings:manage");
  return {
    // A request that has its approvals takes no more: the state machine refuses approve there.
    approve: decide && state === "in_review",
    reject: decide,
    apply: state === "approved" && approvalsMet && checksOk && can(principal, "changes:apply", env),
    /** Sets the time the job runner applies it once approved (the same rule as scheduleChangeRequest). */
    schedule: ["in_review", "approved"].includes(state) && can(principal, "changes:apply", env),
    bypass: (state === "in_review" || state === "approved") && !approvalsMet && checksOk && ruleOf(req.target).allowBypass && can(principal, "changes:bypass", env),
    cancel: ["draft", "in_review", "approved", "outdated"].includes(state) && can(principal, "changes:create", env) && isAuthorOrAdmin,
    refresh: state === "outdated" && can(principal, "changes:create", env),
    revert: state === "applied" && can(principal, "changes:create", env),
    comment: can(principal, "changes:create") || can(principal, "changes:approve"),
    reviewBypass: Boolean(req.cr.bypassReason && !req.cr.bypassReviewedAt) && req.cr.appliedById !== principal.id && can(principal, "changes:approve", env),
  };
}

