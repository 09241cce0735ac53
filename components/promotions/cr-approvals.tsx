import { Card } from "@/components/ui/card";
import { formatTime, type ChangeRequestView } from "@/lib/client/promotions-api";

/** n of required, who approved and when, who rejected; decisions on an earlier version shown as void. */
export function CrApprovals({ cr }: { cr: ChangeRequestView }) {
  const { approvals, rule } = cr;
  const given = approvals.approvals.length;
  const current = cr.decisions.filter((d) => d.current);
  const earlier = cr.decisions.filter((d) => !d.current);
  const pct = approvals.required === 0 ? 100 : Math.min(100, Math.round((given / approvals.required) * 100));
  return (
    <Card title="Approvals" action={<span className="text-sm font-medium text-slate-700" data-testid="approval-count">{given} of {approvals.required}</span>}>
      {approvals.required === 0 ? (
        <p className="text-sm text-slate-500">{cr.to} needs no approval.</p>
      ) : (
        <div className="mb-3 h-2 overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-label="Approvals" aria-valuemin={0} aria-valuemax={approvals.required} aria-valuenow={given}>
          <div className={`h-full ${approvals.rejectedBy ? "bg-red-500" : "bg-emerald-500"}`} style={{ width: `${pct}%` }} />
        </div>
      )}
      {approvals.rejectedBy ? (
        <p className="mb-2 text-sm font-medium text-red-700">Rejected by {current.find((d) => d.decision === "reject")?.userName ?? approvals.rejectedBy}.</p>
      ) : approvals.missing > 0 && !["applied", "cancelled", "rejected", "failed"].includes(cr.state) ? (
        <p className="mb-2 text-sm text-slate-600">{approvals.missing} more approval{approvals.missing === 1 ? "" : "s"} needed.</p>
      ) : null}
      {current.length > 0 ? (
        <ul className="space-y-1.5 text-sm" aria-label="Decisions on this version">
          {current.map((d) => (
            <li key={`${d.userId}-${d.at}`} className="flex gap-2">
              <span className={d.decision === "approve" ? "text-emerald-700" : "text-red-700"} aria-hidden>{d.decision === "approve" ? "✓" : "✗"}</span>
              <span>
                <span className="font-medium">{d.userName}</span> {d.decision === "approve" ? "approved" : "rejected"}
                <time dateTime={d.at} className="block text-xs text-slate-500">{formatTime(d.at)}</time>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {earlier.length > 0 ? (
        <div className="mt-3 border-t border-slate-100 pt-2">
          <p className="text-xs font-medium text-slate-500">On an earlier version (no longer counts: the content changed since)</p>
          <ul className="mt-1 space-y-0.5 text-xs text-slate-400">
            {earlier.map((d) => (
              <li key={`${d.userId}-${d.at}`}>
                <s>{d.userName} {d.decision === "approve" ? "approved" : "rejected"}</s> version {d.contentVersion}, {formatTime(d.at)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <p className="mt-3 text-xs text-slate-500">
        Who approves {cr.to}: {rule.approverRoles.join(" or ")} (administrators always may). The author never approves their own request; approvals reset when the content changes.
      </p>
    </Card>
  );
}
