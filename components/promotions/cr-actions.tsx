"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, Dialog } from "@/components/ui/dialog";
import { api } from "@/lib/client/fetcher";
import { crPath, type ChangeRequestView } from "@/lib/client/promotions-api";
import { useCrAction } from "./use-cr-action";

type Open = null | "reject" | "apply" | "bypass" | "cancel";
const MIN_REASON = 10;

/** The buttons of a request: each one appears only when the server says this person may use it. */
export function CrActions({ cr, isAuthor }: { cr: ChangeRequestView; isAuthor: boolean }) {
  const router = useRouter();
  const a = cr.actions;
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);
  const post = <R,>(verb: string, json: unknown = {}) => api<R>(`${crPath(cr.id)}/${verb}`, { method: "POST", json });

  const approve = useCrAction(() => post("approve"));
  const reject = useCrAction((comment: string) => post("reject", comment ? { comment } : {}), close);
  const apply = useCrAction(() => post("apply"), close);
  const bypass = useCrAction((bypassReason: string) => post("apply", { bypassReason }), close);
  const cancel = useCrAction(() => post("cancel"), close);
  const refresh = useCrAction(() => post("refresh"));
  const revert = useCrAction(() => post<{ number: number }>("revert"), (r) => router.push(`/promotions/${r.number}`));
  const review = useCrAction(() => post("review-bypass"));

  const all = [approve, reject, apply, bypass, cancel, refresh, revert, review];
  const busy = all.some((m) => m.isPending);
  // Errors of one-click actions show beside the buttons; dialog actions show theirs in the dialog.
  const inline = [approve, refresh, revert, review].find((m) => m.error)?.error ?? null;
  const targets = cr.items.map((i) => i.service).join(", ");
  const any = a.approve || a.reject || a.apply || a.bypass || a.cancel || a.refresh || a.revert || a.reviewBypass;

  return (
    <div className="mb-6">
      {any ? (
        <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Actions">
          {a.approve ? <Button disabled={busy} onClick={() => approve.mutate(undefined)}>{approve.isPending ? "Approving…" : "Approve"}</Button> : null}
          {a.reject ? <Button variant="secondary" disabled={busy} onClick={() => setOpen("reject")}>Reject…</Button> : null}
          {a.apply ? <Button disabled={busy} onClick={() => setOpen("apply")}>Apply…</Button> : null}
          {a.refresh ? <Button disabled={busy} onClick={() => refresh.mutate(undefined)}>{refresh.isPending ? "Refreshing…" : "Refresh"}</Button> : null}
          {a.revert ? <Button variant="secondary" disabled={busy} onClick={() => revert.mutate(undefined)}>{revert.isPending ? "Opening revert…" : "Revert"}</Button> : null}
          {a.reviewBypass ? <Button variant="secondary" disabled={busy} onClick={() => review.mutate(undefined)}>Mark bypass reviewed</Button> : null}
          {a.bypass ? <Button variant="danger" disabled={busy} onClick={() => setOpen("bypass")}>Emergency bypass…</Button> : null}
          {a.cancel ? <Button variant="secondary" disabled={busy} onClick={() => setOpen("cancel")}>Cancel request…</Button> : null}
        </div>
      ) : null}
      {cr.state === "approved" && cr.checksPass === false ? (
        <p className="mt-2 text-sm text-red-700">It has its approvals, but it cannot be applied until every check passes (see Checks).</p>
      ) : null}
      {a.revert ? <p className="mt-2 text-sm text-slate-500">Revert opens a new request that restores the revisions {cr.to} had before this one; it needs the same approvals.</p> : null}
      {isAuthor && (cr.state === "in_review" || cr.state === "approved") ? (
        <p className="mt-2 text-sm text-slate-500">You opened this request: other approvers decide on it, never its author.</p>
      ) : null}
      {inline ? <p role="alert" className="mt-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">{inline.message}</p> : null}

      {open === "apply" ? (
        <ConfirmDialog
          title={`Apply #${cr.number} to ${cr.to}?`}
          confirmLabel={`Apply to ${cr.to}`}
          pendingLabel="Applying…"
          pending={apply.isPending}
          error={apply.error?.message}
          onConfirm={() => apply.mutate(undefined)}
          onCancel={close}
        >
          This writes a new revision of the {cr.to} overlay of {targets} in one transaction. Services reading their configuration get the new values at once.
        </ConfirmDialog>
      ) : null}
      {open === "cancel" ? (
        <ConfirmDialog
          title={`Cancel #${cr.number}?`}
          confirmLabel="Cancel request"
          pendingLabel="Cancelling…"
          pending={cancel.isPending}
          error={cancel.error?.message}
          danger
          onConfirm={() => cancel.mutate(undefined)}
          onCancel={close}
        >
          Nothing is applied and the request cannot be reopened. Open a new promotion to try again.
        </ConfirmDialog>
      ) : null}
      {open === "reject" ? (
        <TextDialog
          title={`Reject #${cr.number}`}
          label="Comment (optional)"
          hint="A rejection by any approver rejects the request for good."
          submitLabel="Reject"
          pending={reject.isPending}
          error={reject.error?.message}
          onSubmit={(text) => reject.mutate(text)}
          onCancel={close}
        />
      ) : null}
      {open === "bypass" ? (
        <TextDialog
          title={`Emergency bypass of #${cr.number}`}
          label="Reason (recorded in the audit trail)"
          hint={`Applies to ${cr.to} without the ${cr.approvals.missing} missing approval${cr.approvals.missing === 1 ? "" : "s"}. The request stays flagged on the overview until someone reviews it.`}
          submitLabel="Apply without approvals"
          minLength={MIN_REASON}
          danger
          pending={bypass.isPending}
          error={bypass.error?.message}
          onSubmit={(text) => bypass.mutate(text)}
          onCancel={close}
        />
      ) : null}
    </div>
  );
}

/** A dialog with one text area: the optional comment of a rejection, the required reason of a bypass. */
function TextDialog(props: {
  title: string;
  label: string;
  hint: string;
  submitLabel: string;
  minLength?: number;
  danger?: boolean;
  pending: boolean;
  error?: string;
  onSubmit: (text: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [text, setText] = useState("");
  const short = props.minLength !== undefined && text.trim().length < props.minLength;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!short) props.onSubmit(text.trim());
  };
  return (
    <Dialog title={props.title} onClose={props.onCancel}>
      <form onSubmit={submit}>
        <p>{props.hint}</p>
        <label htmlFor={id} className="mt-3 block text-xs font-medium text-slate-600">{props.label}</label>
        <textarea
          id={id}
          data-autofocus
          value={text}
          onChange={(e) => setText(e.target.value)}
          required={props.minLength !== undefined}
          minLength={props.minLength}
          maxLength={2000}
          rows={4}
          aria-describedby={props.minLength ? `${id}-n` : undefined}
          className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm text-slate-900"
        />
        {props.minLength ? <p id={`${id}-n`} className="text-xs text-slate-500">At least {props.minLength} characters.</p> : null}
        {props.error ? <p role="alert" className="mt-2 text-red-700">{props.error}</p> : null}
        <div className="mt-4 flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={props.onCancel}>Cancel</Button>
          <Button type="submit" variant={props.danger ? "danger" : "primary"} disabled={props.pending || short}>
            {props.pending ? "Working…" : props.submitLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
