"use client";

import { useQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { configKeys, fetchDiff, formatTime, type LayerRef, type RevisionView } from "@/lib/client/config-api";
import { DiffTable } from "./diff-view";

/**
 * Someone saved this layer after the edit started. Says who and what, from the diff between the
 * revision the edit was based on and the new head, and offers to load the head.
 */
export function ConflictPanel({
  layer,
  baseNumber,
  head,
  reloading,
  onReload,
}: {
  layer: LayerRef;
  baseNumber: number;
  head: RevisionView;
  reloading: boolean;
  onReload: () => void;
}) {
  const diff = useQuery({ queryKey: configKeys.diff(layer, baseNumber, head.number), queryFn: () => fetchDiff(layer, baseNumber, head.number) });
  const between = head.number - baseNumber;
  return (
    <section role="alert" aria-labelledby="conflict-title" className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-4" data-testid="conflict-panel">
      <h3 id="conflict-title" className="text-sm font-semibold text-amber-900">This layer changed while you were editing — nothing was saved</h3>
      <p className="mt-1 text-sm text-amber-900">
        You started from r{baseNumber}. Now it is at <strong>r{head.number}</strong>, saved by <strong>{head.authorName}</strong> at {formatTime(head.createdAt)}: “{head.message}”
        {between > 1 ? ` (${between} revisions since yours)` : ""}. What they changed:
      </p>
      <div className="mt-3 rounded-md bg-white p-2">
        {diff.isPending ? (
          <p role="status" className="text-sm text-slate-500">Loading what changed…</p>
        ) : diff.isError ? (
          <p className="text-sm text-red-700">Could not load the changes: {diff.error.message}</p>
        ) : (
          <DiffTable changes={diff.data.changes} fromLabel={`r${baseNumber} (your base)`} toLabel={`r${head.number} (now)`} empty="The content is the same; only the revision moved." />
        )}
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <Button onClick={onReload} disabled={reloading}>{reloading ? "Loading…" : `Load r${head.number} into the editor`}</Button>
        <span className="text-xs text-amber-900">Your text stays visible below the editor so you can copy your change across.</span>
      </div>
    </section>
  );
}

/** The text someone had before loading a newer head: kept to copy from, until dismissed. */
export function KeptText({ text, onDismiss }: { text: string; onDismiss: () => void }) {
  return (
    <section aria-labelledby="kept-title" className="mt-3 rounded-md border border-slate-200 bg-slate-50 p-3">
      <div className="flex items-center justify-between gap-2">
        <h3 id="kept-title" className="text-sm font-semibold text-slate-700">Your previous text (not saved)</h3>
        <div className="flex gap-2">
          <Button variant="secondary" onClick={() => void navigator.clipboard?.writeText(text)}>Copy</Button>
          <Button variant="ghost" onClick={onDismiss}>Dismiss</Button>
        </div>
      </div>
      <label className="sr-only" htmlFor="kept-text">Your previous text</label>
      <textarea id="kept-text" readOnly value={text} rows={Math.min(16, text.split("\n").length + 1)} className="mt-2 w-full rounded-md border border-slate-300 bg-white p-2 font-mono text-xs" />
    </section>
  );
}
