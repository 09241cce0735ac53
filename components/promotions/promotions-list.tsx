"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { CR_FILTERS, age, fetchChangeRequests, formatTime, type CrFilter } from "@/lib/client/promotions-api";
import { queryKeys } from "@/lib/client/query-keys";
import { StateBadge } from "./state-badge";
import { useNow } from "./use-now";

const EMPTY: Record<CrFilter, { title: string; body: string }> = {
  open: { title: "No open change requests", body: "Nothing is waiting to be promoted. Open a promotion to move a service's configuration to the next environment." },
  "awaiting-me": { title: "Nothing awaits your approval", body: "Requests you may approve appear here; your own requests never do." },
  mine: { title: "You have not opened any change request", body: "Promotions you open appear here." },
  applied: { title: "Nothing has been applied yet", body: "Applied promotions appear here with the revisions they wrote." },
  all: { title: "No change requests yet", body: "Change requests that move configuration from development to staging to production appear here." },
};

export function PromotionsList({ filter, awaitingCount }: { filter: CrFilter; awaitingCount: number }) {
  const list = useInfiniteQuery({
    queryKey: queryKeys.changeRequestList(filter),
    queryFn: ({ pageParam }) => fetchChangeRequests(filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const now = useNow(list.dataUpdatedAt);

  return (
    <div>
      <nav aria-label="Filter change requests" className="mb-4 flex flex-wrap gap-1 border-b border-slate-200">
        {CR_FILTERS.map((f) => (
          <Link
            key={f.id}
            href={f.id === "open" ? "/promotions" : `/promotions?filter=${f.id}`}
            aria-current={f.id === filter ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${f.id === filter ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {f.label}
            {f.id === "awaiting-me" && awaitingCount > 0 ? (
              <span className="ml-1.5 rounded-full bg-indigo-600 px-1.5 py-0.5 text-xs text-white">{awaitingCount}</span>
            ) : null}
          </Link>
        ))}
      </nav>

      {list.isError ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          The change requests could not be loaded: {list.error.message}
        </p>
      ) : list.isPending ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : items.length === 0 ? (
        <EmptyState title={EMPTY[filter].title}>{EMPTY[filter].body}</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-left text-sm" data-testid="change-requests">
            <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">#</th>
                <th scope="col" className="px-4 py-2 font-medium">Title</th>
                <th scope="col" className="px-4 py-2 font-medium">Target</th>
                <th scope="col" className="px-4 py-2 font-medium">State</th>
                <th scope="col" className="px-4 py-2 font-medium">Author</th>
                <th scope="col" className="px-4 py-2 font-medium">{filter === "applied" ? "Applied" : "Opened"}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((cr) => (
                <tr key={cr.id} className="hover:bg-slate-50">
                  <td className="px-4 py-2 font-mono text-slate-500">
                    <Link href={`/promotions/${cr.number}`} className="text-indigo-700 hover:underline">#{cr.number}</Link>
                  </td>
                  <td className="px-4 py-2">
                    <Link href={`/promotions/${cr.number}`} className="font-medium text-slate-900 hover:underline">{cr.title}</Link>
                    {cr.bypass && !cr.bypassReviewed ? <span className="ml-2 text-xs font-medium text-red-700">bypass not reviewed</span> : null}
                  </td>
                  <td className="px-4 py-2">{cr.to}</td>
                  <td className="px-4 py-2"><StateBadge state={cr.state} /></td>
                  <td className="px-4 py-2 text-slate-700">{cr.authorName}</td>
                  <td className="px-4 py-2 whitespace-nowrap text-slate-500">
                    <When iso={filter === "applied" ? (cr.appliedAt ?? cr.createdAt) : cr.createdAt} now={now} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.hasNextPage ? (
            <div className="border-t border-slate-100 p-3 text-center">
              <Button variant="secondary" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                {list.isFetchingNextPage ? "Loading…" : "Older requests"}
              </Button>
            </div>
          ) : null}
        </div>
      )}
    </div>
  );
}

function When({ iso, now }: { iso: string; now: number }) {
  return <time dateTime={iso} title={formatTime(iso)}>{age(iso, now)}</time>;
}
