import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { formatDuration } from "@/lib/domain/health";
import type { Incident } from "@/lib/client/health-api";

/** Incidents with their duration (open ones: so far); each row links to its service's health page. */
export function IncidentsTable({ items, showService = true }: { items: Incident[]; showService?: boolean }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="incidents">
        <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {showService ? <th scope="col" className="py-2 pr-4">Service</th> : null}
            <th scope="col" className="py-2 pr-4">Environment</th>
            <th scope="col" className="py-2 pr-4">Check</th>
            <th scope="col" className="py-2 pr-4">Opened</th>
            <th scope="col" className="py-2 pr-4">Duration</th>
            <th scope="col" className="py-2 pr-4">Last error</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {items.map((i) => (
            <tr key={i.id} data-state={i.closedAt ? "closed" : "open"}>
              {showService ? (
                <td className="py-2 pr-4 font-medium"><Link className="text-indigo-700 hover:underline" href={`/health/${encodeURIComponent(i.service)}`}>{i.service}</Link></td>
              ) : null}
              <td className="py-2 pr-4">{i.environment}</td>
              <td className="py-2 pr-4">{i.check}</td>
              <td className="py-2 pr-4 tabular-nums whitespace-nowrap">{i.openedAt.replace("T", " ").slice(0, 19)} UTC</td>
              <td className="py-2 pr-4 whitespace-nowrap">
                {i.closedAt ? formatDuration(i.durationMs) : <><Badge tone="bad">open</Badge> <span className="text-slate-600">{formatDuration(i.durationMs)} so far</span></>}
              </td>
              <td className="max-w-xs truncate py-2 pr-4 text-slate-600" title={i.lastError ?? ""}>{i.lastError ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
