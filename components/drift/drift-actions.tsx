"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, Dialog } from "@/components/ui/dialog";
import { acknowledge, adopt, ignorePath, reapply, type DriftDetail } from "@/lib/client/drift-api";
import { queryKeys } from "@/lib/client/query-keys";

type Action = "reapply" | "adopt" | "acknowledge";

/** The remediation buttons a caller may use, each behind a confirmation. */
export function DriftActions({ d, onIgnore }: { d: DriftDetail; onIgnore: (pattern: string) => void }) {
  const qc = useQueryClient();
  const router = useRouter();
  const [open, setOpen] = useState<Action | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const run = useMutation({
    mutationFn: async (a: Action) => {
      if (a === "reapply") {
        const r = await reapply(d.service, d.env);
        return r.outcome === "sent" ? `The deploy hook was called: ${r.detail}` : `The deploy hook call failed: ${r.detail}`;
      }
      if (a === "acknowledge") {
        await acknowledge(d.service, d.env);
        return "Acknowledged: this drift no longer blocks promotions into this environment.";
      }
      const r = await adopt(d.service, d.env);
      if (r.mode === "change_request") {
        router.push(`/promotions/${r.changeRequest.number}`);
        return `Change request #${r.changeRequest.number} opened.`;
      }
      return `Saved as revision r${r.revision} of the ${d.env} overlay (${r.adopted.length} path${r.adopted.length === 1 ? "" : "s"}).`;
    },
    onSuccess: (msg) => {
      setNotice(msg);
      setOpen(null);
      void qc.invalidateQueries({ queryKey: queryKeys.drift() });
      void qc.invalidateQueries({ queryKey: queryKeys.changeRequests() });
    },
  });
  const a = d.actions;
  if (!a.reapply && !a.adopt && !a.acknowledge && !a.ignore) return null;
  const confirm = (x: Action) => {
    run.reset();
    setOpen(x);
  };

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2" data-testid="drift-actions">
        {a.reapply ? <Button onClick={() => confirm("reapply")}>Re-apply desired</Button> : null}
        {a.adopt ? <Button variant="secondary" onClick={() => confirm("adopt")}>Adopt observed</Button> : null}
        {a.acknowledge ? <Button variant="secondary" onClick={() => confirm("acknowledge")}>Acknowledge</Button> : null}
        {a.ignore ? <Button variant="ghost" onClick={() => onIgnore("")}>Ignore a path…</Button> : null}
      </div>
      {notice ? <p role="status" className="text-sm text-emerald-700">{notice}</p> : null}
      {open ? (
        <ConfirmDialog
          title={{ reapply: "Re-apply the desired config?", adopt: "Adopt the observed config?", acknowledge: "Acknowledge this drift?" }[open]}
          confirmLabel={{ reapply: "Call the deploy hook", adopt: d.envProtected ? "Open a change request" : "Save the overlay", acknowledge: "Acknowledge" }[open]}
          pending={run.isPending}
          error={run.error?.message ?? null}
          onCancel={() => setOpen(null)}
          onConfirm={() => run.mutate(open)}
        >
          {open === "reapply" ? <p>Nexus calls {d.service}&apos;s deploy hook in {d.env} with the desired config&apos;s revision. The attempt and its answer are recorded.</p> : null}
          {open === "adopt" ? (
            <p>
              The {d.env} overlay of {d.service} takes the observed values at {d.driftCount} drifted path{d.driftCount === 1 ? "" : "s"}
              {d.envProtected ? `. ${d.env} is protected, so this opens a change request that needs its approvals.` : `, saved as a new revision now.`} Secrets are never adopted.
            </p>
          ) : null}
          {open === "acknowledge" ? <p>The drift stays visible, but no longer blocks promotions into {d.env} until the drifted paths change.</p> : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

/** Adds an ignore rule: a JSON pointer (the path and all under it) or a glob such as /runtime/** or /workers/*‌/pid. */
export function IgnoreDialog({ d, initial, onClose }: { d: DriftDetail; initial: string; onClose: () => void }) {
  const qc = useQueryClient();
  const id = useId();
  const [pattern, setPattern] = useState(initial);
  const [reason, setReason] = useState("");
  const [all, setAll] = useState(false);
  const save = useMutation({
    mutationFn: () => ignorePath(d.service, d.env, { pattern: pattern.trim(), reason: reason.trim(), allEnvironments: all }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.drift() });
      onClose();
    },
  });
  return (
    <Dialog
      title="Ignore a path"
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" form={`${id}-form`} disabled={save.isPending || !pattern.trim()}>{save.isPending ? "Saving…" : "Ignore"}</Button>
        </>
      }
    >
      <form
        id={`${id}-form`}
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <div>
          <label htmlFor={`${id}-p`} className="block text-xs font-medium text-slate-700">Path or glob</label>
          <input id={`${id}-p`} data-autofocus value={pattern} onChange={(e) => setPattern(e.target.value)} placeholder="/runtime/**" className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm" />
          <p className="mt-1 text-xs text-slate-500">A JSON pointer ignores the path and everything under it; * matches one segment, ** any number.</p>
        </div>
        <div>
          <label htmlFor={`${id}-r`} className="block text-xs font-medium text-slate-700">Why (recorded in the audit trail)</label>
          <input id={`${id}-r`} value={reason} onChange={(e) => setReason(e.target.value)} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm" />
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> In every environment of {d.service}
        </label>
        {save.error ? <p role="alert" className="text-red-700">{save.error.message}</p> : null}
      </form>
    </Dialog>
  );
}
