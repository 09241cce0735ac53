"use client";

import { useQuery } from "@tanstack/react-query";
import { configKeys, fetchDiff, type LayerRef } from "@/lib/client/config-api";
import { DiffTable, SourceDiff } from "./diff-view";

/** What changed between two revisions of a layer: the paths, then the sources side by side. */
export function RevisionDiff({ layer, from, to }: { layer: LayerRef; from: number; to: number }) {
  const diff = useQuery({ queryKey: configKeys.diff(layer, from, to), queryFn: () => fetchDiff(layer, from, to) });
  const label = (n: number) => (n === 0 ? "r0 (empty layer)" : `r${n}`);
  return (
    <section aria-labelledby="diff-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="revision-diff">
      <h3 id="diff-title" className="mb-3 text-sm font-semibold text-slate-800">
        Changes from {label(from)} to {label(to)}
      </h3>
      {diff.isPending ? (
        <p role="status" className="py-6 text-center text-sm text-slate-500">Comparing…</p>
      ) : diff.isError ? (
        <div role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          Could not compare: {diff.error.message}{" "}
          <button className="font-medium underline" onClick={() => void diff.refetch()}>Try again</button>
        </div>
      ) : (
        <div className="space-y-4">
          <DiffTable changes={diff.data.changes} fromLabel={`Before (${label(from)})`} toLabel={`After (${label(to)})`} empty="These two revisions hold the same values." />
          <details className="group">
            <summary className="cursor-pointer text-sm font-medium text-indigo-700 hover:underline">Sources side by side</summary>
            <div className="mt-2">
              <SourceDiff from={diff.data.fromSource} to={diff.data.toSource} fromLabel={label(from)} toLabel={label(to)} />
            </div>
          </details>
        </div>
      )}
    </section>
  );
}
