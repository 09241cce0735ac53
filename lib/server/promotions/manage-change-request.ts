import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { changeRequestComments, changeRequestItems, changeRequests, configRevisions, configLayers } from "@/drizzle/schema";
import { can } from "@/lib/auth/permissions";
import type { ConfigObject } from "@/lib/domain/config-value";
import { recordAuditEvent } from "../audit/record-audit-event";
import { withTransaction, type UseCaseArgs } from "../context";
import { invalid, ServiceError } from "../errors";
import { findService } from "../configs/lookup";
import { emitEvent, loadRequest, scopeOf, authorizeOnRequest } from "./load";
import { insertItems, proposeFor, type ProposedItem } from "./open-change-request";
import { transition } from "./transition";

const idInput = z.object({ id: z.string().min(1).max(64) });

/** Cancels an open request: its author, or an administrator. */
export async function cancelChangeRequest({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof idInput>>) {
  const q = idInput.parse(input);
  return withTransaction(tx, async (t) => {
    const req = await loadRequest(t, q.id, true);
    authorizeOnRequest(principal, "changes:create", req);
    if (req.cr.authorId !== principal.id && !can(principal, "settings:manage")) {
      throw new ServiceError("forbidden", `Only ${req.cr.authorName}, who opened change request #${req.cr.number}, or an administrator can cancel it.`);
    }
    return { number: req.cr.number, state: await transition(t, principal, req, "cancel", meta) };
  });
}

/** Recomputes an outdated request against the current heads; approvals given so far no longer count. */
export async function refreshChangeRequest({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof idInput>>) {
  const q = idInput.parse(input);
  return withTransaction(tx, async (t) => {
    const req = await loadRequest(t, q.id, true);
    authorizeOnRequest(principal, "changes:create", req);
    if (req.cr.state !== "outdated") throw new ServiceError("conflict", `Change request #${req.cr.number} is ${req.cr.state.replace("_", " ")}; only an outdated request is refreshed.`);
    const items: ProposedItem[] = [];
    for (const item of req.items) {
      const service = await findService(t, item.serviceName);
      if (req.cr.kind === "promotion" && req.source) {
        const proposed = await proposeFor(t, service, req.source, req.target);
        if (proposed) items.push(proposed);
      } else {
        const [layer] = await t.select().from(configLayers).where(eq(configLayers.id, item.layerId));
        items.push({ service, layerId: item.layerId, baseRevisionId: layer!.headRevisionId, sourceRevisionId: null, format: item.format, source: item.source, value: item.value as ConfigObject });
      }
    }
    if (items.length === 0) throw invalid("Nothing is left to promote: the target already has these changes. Cancel the request.");
    await t.delete(changeRequestItems).where(eq(changeRequestItems.changeRequestId, req.cr.id));
    await insertItems(t, req.cr.id, items);
    const state = await transition(t, principal, req, "refresh", meta, { set: { contentVersion: req.cr.contentVersion + 1 }, audit: { contentVersion: req.cr.contentVersion + 1 } });
    return { number: req.cr.number, state };
  });
}

/** One click after an apply: a new request that restores the revisions the target had before. */
export async function revertChangeRequest({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof idInput>>) {
  const q = idInput.parse(input);
  return withTransaction(tx, async (t) => {
    const req = await loadRequest(t, q.id);
    authorizeOnRequest(principal, "changes:create", req);
    if (req.cr.state !== "applied") throw new ServiceError("conflict", `Change request #${req.cr.number} is ${req.cr.state.replace("_", " ")}; only an applied request can be reverted.`);
    const items: ProposedItem[] = [];
    for (const item of req.items) {
      const [layer] = await t.select().from(configLayers).where(eq(configLayers.id, item.layerId));
      const [previous] = item.baseRevisionId ? await t.select().from(configRevisions).where(eq(configRevisions.id, item.baseRevisionId)) : [];
      items.push({
        service: await findService(t, item.serviceName),
        layerId: item.layerId,
        baseRevisionId: layer!.headRevisionId,
        sourceRevisionId: null,
        format: previous?.format ?? "yaml",
        source: previous?.source ?? "",
        value: (previous?.value as ConfigObject | undefined) ?? {},
      });
    }
    const title = `Revert #${req.cr.number}: ${req.cr.title}`;
    const [cr] = await t
      .insert(changeRequests)
      .values({ kind: "revert", title, targetEnvironmentId: req.target.id, state: "in_review", authorId: principal.id, authorName: principal.name, revertsId: req.cr.id })
      .returning();
    await insertItems(t, cr!.id, items);
    await recordAuditEvent(t, principal, { action: "change_request.opened", targetType: "change_request", targetId: cr!.id, environment: req.target.name, service: scopeOf(req).service, after: { number: cr!.number, title, kind: "revert", reverts: req.cr.number, services: scopeOf(req).services } }, meta);
    await emitEvent(t, "change_request.opened", { id: cr!.id, number: cr!.number, state: cr!.state, title, kind: "revert", reverts: req.cr.number, author: principal.name, ...scopeOf(req) });
    return { id: cr!.id, number: cr!.number, state: cr!.state, title };
  });
}

export const commentInput = idInput.extend({ body: z.string().trim().min(1, "write something").max(5000) });

export async function commentOnChangeRequest({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof commentInput>>) {
  const q = commentInput.parse(input);
  return withTransaction(tx, async (t) => {
    const req = await loadRequest(t, q.id);
    authorizeOnRequest(principal, "changes:read", req);
    if (!can(principal, "changes:create") && !can(principal, "changes:approve")) {
      throw new ServiceError("forbidden", "Commenting needs the changes:create or changes:approve permission.");
    }
    const [row] = await t.insert(changeRequestComments).values({ changeRequestId: req.cr.id, authorId: principal.id, authorName: principal.name, body: q.body }).returning();
    await recordAuditEvent(t, principal, { action: "change_request.commented", targetType: "change_request", targetId: req.cr.id, environment: req.target.name, service: scopeOf(req).service, after: { number: req.cr.number, comment: q.body } }, meta);
    await emitEvent(t, "change_request.commented", { id: req.cr.id, number: req.cr.number, state: req.cr.state, by: principal.name, ...scopeOf(req) });
    return { id: row!.id, authorName: row!.authorName, body: row!.body, createdAt: row!.createdAt.toISOString() };
  });
}

/** Someone looked at an emergency bypass: the overview stops flagging it. */
export async function reviewBypass({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof idInput>>) {
  const q = idInput.parse(input);
  return withTransaction(tx, async (t) => {
    const req = await loadRequest(t, q.id, true);
    authorizeOnRequest(principal, "changes:approve", req);
    if (!req.cr.bypassReason) throw new ServiceError("conflict", `Change request #${req.cr.number} was not applied by bypass.`);
    if (req.cr.appliedById === principal.id) {
      throw new ServiceError("forbidden", `You applied change request #${req.cr.number} by bypass; someone else must review it.`);
    }
    if (req.cr.bypassReviewedAt) throw new ServiceError("conflict", `The bypass of #${req.cr.number} was already reviewed by ${req.cr.bypassReviewedBy}.`);
    await t.update(changeRequests).set({ bypassReviewedAt: new Date(), bypassReviewedBy: principal.name }).where(eq(changeRequests.id, req.cr.id));
    await recordAuditEvent(t, principal, {
      action: "change_request.bypass_reviewed",
      targetType: "change_request",
      targetId: req.cr.id,
      environment: req.target.name,
      service: scopeOf(req).service,
      before: { number: req.cr.number, bypassReason: req.cr.bypassReason, bypassReviewedBy: null },
      after: { number: req.cr.number, bypassReason: req.cr.bypassReason, bypassReviewedBy: principal.name },
    }, meta);
    await emitEvent(t, "change_request.bypass_reviewed", { id: req.cr.id, number: req.cr.number, state: req.cr.state, by: principal.name, ...scopeOf(req) });
    return { number: req.cr.number, reviewed: true };
  });
}
