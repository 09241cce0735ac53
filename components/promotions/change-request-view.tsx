"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { age, fetchChangeRequest, formatTime, type ChangeRequestView as View } from "@/lib/client/promotions-api";
import { queryKeys } from "@/lib/client/query-keys";
import { CrActions } from "./cr-actions";
import { CrActivity } from "./cr-activity";
import { CrApprovals } from "./cr-approvals";
import { CrChanges } from "./cr-changes";
import { CrChecks } from "./cr-checks";
import { CrSchedule } from "./cr-schedule";
import { StateBadge } from "./state-badge";
import { useNow } from "./use-now";

/** The page of one change request; `id` is its number or uuid, as in the URL. */
export function ChangeRequestView({ id, userId }: { id: string; userId: string }) {
  const q = useQuery({ queryKey: queryKeys.changeRequest(id), queryFn: () => fetchChangeRequest(id) });
  const now = useNow(q.dataUpdatedAt);
  if (q.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (q.isError) {
    return <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">This change request could not be loaded: {q.error.message}</p>;
  }
  const cr = q.data;
  return (
    <>
      <Header cr={cr} now={now} />
      <Banners cr={cr} />
      <CrActions cr={cr} isAuthor={cr.author.id === userId} />
      <CrSchedule cr={cr} />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <CrChanges cr={cr} />
          <CrActivity cr={cr} />
        </div>
        <div className="min-w-0 space-y-6">
          <CrChecks cr={cr} />
          <CrApprovals cr={cr} />
        </div>
      </div>
    </>
  );
}

function Header({ cr, now }: { cr: View; now: number }) {
  return (
    <div className="mb-4">
      <p className="mb-1 text-sm text-slate-500">
        <Link href="/promotions" className="hover:underline">Promotions</Link> /
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">
          <span className="text-slate-400">#{cr.number}</span> {cr.title}
        </h1>
        <span data-testid="cr-state"><StateBadge state={cr.state} /></span>
      </div>
      <p className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-600">
        <span className="font-medium" data-testid="cr-route">
          {cr.from ? <>{cr.from} <span aria-label="to">→</span> </> : null}
          {cr.to}
        </span>
        <Badge>{cr.kind}</Badge>
        <span>
          opened by <span className="font-medium">{cr.author.name}</span>{" "}
          <time dateTime={cr.createdAt} title={formatTime(cr.createdAt)}>{age(cr.createdAt, now)}</time>
        </span>
        {cr.appliedAt ? <span>applied by <span className="font-medium">{cr.appliedBy}</span> at {formatTime(cr.appliedAt)}</span> : null}
        {cr.revertsId ? <Link href={`/promotions/${cr.revertsId}`} className="text-indigo-700 hover:underline">reverts an earlier request</Link> : null}
      </p>
      {cr.description ? <p className="mt-2 max-w-prose text-sm whitespace-pre-wrap text-slate-700">{cr.description}</p> : null}
    </div>
  );
}

function Banners({ cr }: { cr: View }) {
  return (
    <>
      {cr.state === "outdated" ? (
        <p role="status" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {cr.to} changed since this request was made, so its diff and approvals no longer describe what apply would do. Refresh it to recompute the diff; approvals given so far will no longer count.
        </p>
      ) : null}
      {cr.bypassReason ? (
        <div role="note" className={`mb-4 rounded-md border px-3 py-2 text-sm ${cr.bypassReviewedBy ? "border-slate-200 bg-slate-50 text-slate-700" : "border-red-200 bg-red-50 text-red-800"}`}>
          <p className="font-semibold">Applied by emergency bypass, without the missing approvals.</p>
          <p className="mt-0.5">Reason: {cr.bypassReason}</p>
          <p className="mt-0.5">{cr.bypassReviewedBy ? `Reviewed by ${cr.bypassReviewedBy}.` : "Nobody has reviewed this bypass yet."}</p>
        </div>
      ) : null}
    </>
  );
}
