"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { api } from "@/lib/client/fetcher";
import { configKeys, fetchRevisions, formatTime, layerPath, layerTitle, type LayerKind, type LayerRef, type RevisionView } from "@/lib/client/config-api";
import { LAYER_KINDS, serviceHref } from "./links";
import { ProtectedNote } from "./protected-note";
import { RevisionDiff } from "./revision-diff";

/** A layer's revisions; pick two to compare; roll back to any earlier one. */
export function HistoryPanel({
  service,
  env,
  kind,
  canWrite,
  protectedEnv,
  focus,
}: {
  service: string;
  env: string;
  kind: LayerKind;
  canWrite: boolean;
  protectedEnv: string | null;
  /** A revision to open with (from a provenance link): compared with the one before it. */
  focus?: number;
}) {
  const ref: LayerRef = kind === "overlay" ? { kind, service, env } : kind === "base" ? { kind, service } : { kind };
  const qc = useQueryClient();
  const revisions = useInfiniteQuery({
    queryKey: configKeys.revisions(ref),
    queryFn: ({ pageParam }) => fetchRevisions(ref, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const [picked, setPicked] = useState<number[] | null>(null);
  const [rollingBack, setRollingBack] = useState<RevisionView | null>(null);
  const items = revisions.data?.pages.flatMap((p) => p.items) ?? [];
  const head = items[0] ?? null;

  // Until someone picks, show the focused revision (or the newest) against the one before it.
  const defaultTo = focus ?? head?.number ?? 0;
  const selected = picked ?? (defaultTo > 0 ? [defaultTo - 1, defaultTo] : []);
  const [from, to] = selected.length === 2 ? [Math.min(...selected), Math.max(...selected)] : [null, null];

  const rollback = useMutation({
    mutationFn: (target: RevisionView) =>
      api<{ revision: RevisionView }>(`${layerPath(ref)}/rollback`, { method: "POST", json: { toRevision: target.number, baseRevision: head?.id ?? null } }),
    onSuccess: ({ revision }) => {
      setRollingBack(null);
      setPicked([revision.number - 1, revision.number]);
      void qc.invalidateQueries({ queryKey: configKeys.all() });
    },
  });

  function toggle(n: number) {
    const cur = selected.includes(n) ? selected.filter((x) => x !== n) : [...selected, n].slice(-2);
    setPicked(cur);
  }

  return (
    <div className="space-y-4">
      <nav aria-label="Layer history" className="flex flex-wrap gap-2">
        {LAYER_KINDS.map((k) => (
          <Link
            key={k}
            href={serviceHref(service, { env, tab: "history", layer: k })}
            aria-current={k === kind ? "page" : undefined}
            className={`rounded-full px-3 py-1 text-sm font-medium ring-1 ring-inset ${k === kind ? "bg-indigo-600 text-white ring-indigo-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"}`}
          >
            {k === "overlay" ? `Overlay · ${env}` : k === "base" ? "Base" : "Shared template"}
          </Link>
        ))}
      </nav>
      <section aria-labelledby="history-title" className="rounded-lg border border-slate-200 bg-white shadow-sm">
        <header className="border-b border-slate-100 px-4 py-3">
          <h2 id="history-title" className="text-sm font-semibold text-slate-800">History of the {layerTitle(ref).toLowerCase()}</h2>
          <p className="mt-0.5 text-xs text-slate-500">Tick two revisions to compare them. A rollback writes a new revision; nothing is erased.</p>
          {protectedEnv && canWrite ? <div className="mt-2"><ProtectedNote env={protectedEnv} /></div> : null}
        </header>
        {revisions.isPending ? (
          <p role="status" className="py-10 text-center text-sm text-slate-500">Loading the history…</p>
        ) : revisions.isError ? (
          <div role="alert" className="m-4 rounded-md bg-red-50 p-3 text-sm text-red-800">
            Could not load the history: {revisions.error.message}{" "}
            <button className="font-medium underline" onClick={() => void revisions.refetch()}>Try again</button>
          </div>
        ) : items.length === 0 ? (
          <p className="px-4 py-10 text-center text-sm text-slate-500">No revision yet: this layer has never been saved.</p>
        ) : (
          <table className="w-full text-left text-sm" data-testid="revisions">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="w-20 px-4 py-2 font-medium">Compare</th>
                <th scope="col" className="py-2 pr-4 font-medium">Revision</th>
                <th scope="col" className="py-2 pr-4 font-medium">Message</th>
                <th scope="col" className="py-2 pr-4 font-medium">Author</th>
                <th scope="col" className="py-2 pr-4 font-medium">When</th>
                <th scope="col" className="py-2 pr-4 font-medium"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((r) => (
                <tr key={r.id} className={selected.includes(r.number) ? "bg-indigo-50/60" : ""} data-testid={`revision-r${r.number}`}>
                  <td className="px-4 py-2">
                    <input type="checkbox" aria-label={`Compare r${r.number}`} checked={selected.includes(r.number)} onChange={() => toggle(r.number)} className="h-4 w-4" />
                  </td>
                  <td className="py-2 pr-4 font-mono font-medium">
                    r{r.number} {r.id === head?.id ? <Badge tone="good">head</Badge> : null}
                  </td>
                  <td className="py-2 pr-4 text-slate-800">{r.message}</td>
                  <td className="py-2 pr-4 text-slate-600">{r.authorName}</td>
                  <td className="whitespace-nowrap py-2 pr-4 text-slate-600">{formatTime(r.createdAt)}</td>
                  <td className="py-2 pr-4 text-right">
                    {canWrite && !protectedEnv && r.id !== head?.id ? (
                      <Button variant="secondary" onClick={() => setRollingBack(r)}>Roll back to r{r.number}</Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {revisions.hasNextPage ? (
          <div className="border-t border-slate-100 px-4 py-2 text-right">
            <Button variant="ghost" onClick={() => void revisions.fetchNextPage()} disabled={revisions.isFetchingNextPage}>
              {revisions.isFetchingNextPage ? "Loading…" : "Older revisions"}
            </Button>
          </div>
        ) : null}
      </section>

      {from !== null && to !== null ? (
        <RevisionDiff layer={ref} from={from} to={to} />
      ) : items.length > 0 ? (
        <p className="text-sm text-slate-500">Tick two revisions to see what changed between them.</p>
      ) : null}

      {rollingBack ? (
        <ConfirmDialog
          title={`Roll back the ${layerTitle(ref).toLowerCase()} to r${rollingBack.number}?`}
          confirmLabel={`Roll back to r${rollingBack.number}`}
          pendingLabel="Rolling back…"
          pending={rollback.isPending}
          error={rollback.error?.message}
          onConfirm={() => rollback.mutate(rollingBack)}
          onCancel={() => {
            setRollingBack(null);
            rollback.reset();
          }}
        >
          A new revision r{(head?.number ?? 0) + 1} is written with the content of r{rollingBack.number} (“{rollingBack.message}”). The revisions in between stay in the history.
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
