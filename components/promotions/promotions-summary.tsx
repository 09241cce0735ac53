import Link from "next/link";
import type { getPromotionSummary } from "@/lib/server/promotions/get-promotion-summary";

type Summary = Awaited<ReturnType<typeof getPromotionSummary>>;

/** The overview's promotions part: what waits for approval, and bypasses nobody has reviewed. */
export function PromotionsSummary({ summary }: { summary: Summary }) {
  const { awaitingApproval, unreviewedBypasses } = summary;
  return (
    <div className="space-y-3 text-sm">
      {unreviewedBypasses.total > 0 ? (
        <div role="note" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-red-800" data-testid="unreviewed-bypasses">
          <p className="font-semibold">
            {unreviewedBypasses.total} emergency bypass{unreviewedBypasses.total === 1 ? "" : "es"} not reviewed
          </p>
          <ul className="mt-1 space-y-0.5">
            {unreviewedBypasses.items.map((cr) => (
              <li key={cr.id}>
                <Link href={`/promotions/${cr.number}`} className="font-medium underline">#{cr.number}</Link> {cr.title}
                <span className="text-red-700"> — {cr.appliedBy}: “{cr.bypassReason}”</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div>
        <p>
          <span className="text-3xl font-semibold" data-testid="awaiting-approval-count">{awaitingApproval.total}</span>{" "}
          <span className="text-slate-500">change request{awaitingApproval.total === 1 ? "" : "s"} awaiting approval</span>
        </p>
        {summary.awaitingMe > 0 ? (
          <p className="mt-0.5">
            <Link href="/promotions?filter=awaiting-me" className="font-medium text-indigo-700 hover:underline">{summary.awaitingMe} awaiting your decision</Link>
          </p>
        ) : null}
        {awaitingApproval.items.length > 0 ? (
          <ul className="mt-2 space-y-1">
            {awaitingApproval.items.map((cr) => (
              <li key={cr.id} className="truncate">
                <Link href={`/promotions/${cr.number}`} className="text-indigo-700 hover:underline">#{cr.number}</Link>{" "}
                <span className="text-slate-700">{cr.title}</span>
              </li>
            ))}
            {awaitingApproval.total > awaitingApproval.items.length ? (
              <li><Link href="/promotions" className="text-slate-500 hover:underline">and {awaitingApproval.total - awaitingApproval.items.length} more</Link></li>
            ) : null}
          </ul>
        ) : null}
        {summary.readyToApply > 0 ? <p className="mt-2 text-slate-600">{summary.readyToApply} approved, ready to apply.</p> : null}
      </div>
    </div>
  );
}
