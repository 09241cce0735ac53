"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { DRIFT_FILTERS, fetchDriftBoard, STATUS_CELL, STATUS_LABEL, STATUS_ORDER, type DriftBoard, type DriftFilter } from "@/lib/client/drift-api";
import { queryKeys } from "@/lib/client/query-keys";

/** How often the board asks again: a report turns a cell within seconds without a reload. */
const REFRESH_MS = 4000;

const EMPTY: Record<DriftFilter, string> = {
  all: "No services yet.",
  drifted: "Nothing is drifted: every service that reports runs what the source of truth says (or its drift is being rolled out).",
  awaiting_rollout: "No rollout is pending.",
  stale: "No service has stopped reporting.",
  unknown: "Every service reports its config in every environment.",
  in_sync: "No service is in sync yet.",
};

export function DriftBoardView({ filter, q }: { filter: DriftFilter; q: string }) {
  const router = useRouter();
  const [search, setSearch] = useState(q);
  const board = useInfiniteQuery({
    queryKey: queryKeys.driftBoard(filter, q),
    queryFn: ({ pageParam }) => fetchDriftBoard(filter, q, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: REFRESH_MS,
  });
  const first = board.data?.pages[0];
  const items = board.data?.pages.flatMap((p) => p.items) ?? [];
  const href = (f: DriftFilter, query = q) => {
    const p = new URLSearchParams();
    if (f !== "all") p.set("status", f);
    if (query) p.set("q", query);
    return `/drift${p.size ? `?${p}` : ""}`;
  };

  return (
    <div className="space-y-4">
      {first ? <Summary summary={first.summary} /> : null}
      <div className="flex flex-wrap items-end justify-between gap-3 border-b border-slate-200">
        <nav aria-label="Filter by status" className="flex flex-wrap gap-1">
          {DRIFT_FILTERS.map((f) => (
            <Link
              key={f.id}
              href={href(f.id)}
              aria-current={f.id === filter ? "page" : undefined}
              className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${f.id === filter ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
            >
              {f.label}
              {first && f.id !== "all" ? <span className="ml-1.5 text-xs text-slate-400">{first.summary.totals[f.id]}</span> : null}
            </Link>
          ))}
        </nav>
        <form
          role="search"
          className="mb-2 flex items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            router.push(href(filter, search.trim()));
          }}
        >
          <label htmlFor="drift-q" className="sr-only">Find a service</label>
          <input id="drift-q" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Find a service" className="w-52 rounded-md border border-slate-300 px-2 py-1.5 text-sm" />
          <Button type="submit" variant="secondary">Find</Button>
        </form>
      </div>

      {board.isError ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          The drift board could not be loaded: {board.error.message}{" "}
          <button className="font-medium underline" onClick={() => void board.refetch()}>Try again</button>
        </p>
      ) : board.isPending ? (
        <p role="status" className="text-sm text-slate-500">Loading the drift board…</p>
      ) : items.length === 0 ? (
        <EmptyState title={q ? `No service matches “${q}”` : "Nothing to show"}>{q ? "Try another name." : EMPTY[filter]}</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-left text-sm" data-testid="drift-board">
            <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">Service</th>
                {first!.environments.map((e) => (
                  <th key={e} scope="col" className="px-3 py-2 font-medium">{e}</th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((s) => (
                <tr key={s.service} data-testid={`drift-row-${s.service}`}>
                  <th scope="row" className="px-4 py-2 font-medium text-slate-800">
                    <Link href={`/services/${encodeURIComponent(s.service)}`} className="hover:underline">{s.service}</Link>
                  </th>
                  {s.cells.map((c) => (
                    <td key={c.environment} className="px-3 py-1.5">
                      <Link
                        href={`/drift/${encodeURIComponent(s.service)}/${encodeURIComponent(c.environment)}`}
                        data-testid={`drift-cell-${s.service}-${c.environment}`}
                        data-status={c.status}
                        aria-label={`${s.service} in ${c.environment}: ${STATUS_LABEL[c.status]}${c.driftCount ? `, ${c.driftCount} drifted path${c.driftCount === 1 ? "" : "s"}` : ""}`}
                        className={`flex items-center justify-between gap-2 rounded-md px-2 py-1 text-xs font-medium ring-1 ring-inset ${STATUS_CELL[c.status]}`}
                      >
                        <span>{STATUS_LABEL[c.status]}</span>
                        <span className="tabular-nums opacity-80">
                          {c.status === "drifted" || c.status === "awaiting_rollout" ? `${c.driftCount} path${c.driftCount === 1 ? "" : "s"}` : ""}
                          {c.acknowledged ? " · ack" : ""}
                        </span>
                      </Link>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {board.hasNextPage ? (
            <div className="border-t border-slate-100 p-3 text-center">
              <Button variant="secondary" disabled={board.isFetchingNextPage} onClick={() => void board.fetchNextPage()}>
                {board.isFetchingNextPage ? "Loading…" : "Show more services"}
              </Button>
            </div>
          ) : null}
        </div>
      )}
    </div>
  );
}

function Summary({ summary }: { summary: DriftBoard["summary"] }) {
  return (
    <section aria-label="Counts by status" className="grid gap-3 sm:grid-cols-3">
      {summary.environments.map((e) => (
        <div key={e.environment} className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-testid={`drift-summary-${e.environment}`}>
          <h2 className="text-sm font-semibold text-slate-800">{e.environment}</h2>
          <dl className="mt-2 flex flex-wrap gap-1.5">
            {STATUS_ORDER.map((s) => (
              <div key={s} className={`rounded-md px-2 py-0.5 text-xs ring-1 ring-inset ${STATUS_CELL[s]}`}>
                <dt className="inline">{STATUS_LABEL[s]}</dt> <dd className="inline font-semibold tabular-nums">{e.counts[s]}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </section>
  );
}
