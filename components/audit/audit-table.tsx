import Link from "next/link";
import type { AuditEventView } from "@/lib/server/audit/list-audit-events";

export function AuditTable({ events, compact = false }: { events: AuditEventView[]; compact?: boolean }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">When</th>
            <th scope="col" className="py-2 pr-4 font-medium">Actor</th>
            <th scope="col" className="py-2 pr-4 font-medium">Action</th>
            <th scope="col" className="py-2 pr-4 font-medium">Target</th>
            {compact ? null : <th scope="col" className="py-2 pr-4 font-medium">Environment</th>}
            {compact ? null : <th scope="col" className="py-2 font-medium">#</th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {events.map((e) => (
            <tr key={e.id} className="align-top">
              <td className="py-2 pr-4 whitespace-nowrap text-slate-600">
                <time dateTime={e.occurredAt}>{formatTime(e.occurredAt)}</time>
              </td>
              <td className="py-2 pr-4">
                <Link className="text-indigo-700 hover:underline" href={`/audit?actor=${encodeURIComponent(e.actorId)}`}>
                  {e.actorName}
                </Link>
                <span className="ml-1 text-xs text-slate-400">{e.actorKind}</span>
              </td>
              <td className="py-2 pr-4 font-mono text-xs">
                <Link className="hover:underline" href={`/audit?action=${encodeURIComponent(e.action)}`}>{e.action}</Link>
              </td>
              <td className="py-2 pr-4 text-slate-700">
                {e.targetType} <span className="font-mono text-xs text-slate-500">{e.service ?? e.targetId}</span>
              </td>
              {compact ? null : <td className="py-2 pr-4 text-slate-600">{e.environment ?? "—"}</td>}
              {compact ? null : <td className="py-2 font-mono text-xs text-slate-400">{e.seq}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function formatTime(iso: string): string {
  return new Date(iso).toISOString().replace("T", " ").slice(0, 19) + " UTC";
}
