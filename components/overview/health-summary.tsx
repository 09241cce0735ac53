import Link from "next/link";
import type { EnvHealthSummary } from "@/lib/server/health/get-health-summary";

/** Per environment: how many checks are down, degraded, up, and the open incidents; links to the board. */
export function HealthSummary({ summary }: { summary: EnvHealthSummary[] }) {
  const total = summary.reduce((s, e) => s + e.up + e.degraded + e.down + e.unknown, 0);
  if (total === 0) {
    return <p className="text-sm text-slate-500">No health checks yet. <Link href="/health" className="text-indigo-700 hover:underline">Add one on the health page</Link>.</p>;
  }
  return (
    <ul className="space-y-3 text-sm" data-testid="health-summary">
      {summary.map((e) => {
        const checks = e.up + e.degraded + e.down + e.unknown;
        return (
          <li key={e.environment} data-env={e.environment}>
            <div className="flex items-center justify-between gap-2">
              <Link href="/health" className="font-medium text-indigo-700 hover:underline">{e.environment}</Link>
              {e.openIncidents > 0 ? (
                <span className="rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700 ring-1 ring-inset ring-red-200" data-testid="open-incidents">
                  {e.openIncidents} open incident{e.openIncidents === 1 ? "" : "s"}
                </span>
              ) : null}
            </div>
            <p className="mt-0.5 flex flex-wrap gap-x-3 text-slate-600">
              {checks === 0 ? (
                <span className="text-slate-500">no checks</span>
              ) : (
                <>
                  <span className={e.down > 0 ? "font-semibold text-red-700" : "text-slate-500"} data-testid="down-count">{e.down} down</span>
                  {e.degraded > 0 ? <span className="font-medium text-amber-700">{e.degraded} degraded</span> : null}
                  <span className="text-emerald-700">{e.up} up</span>
                  {e.unknown > 0 ? <span className="text-slate-500">{e.unknown} waiting for a first result</span> : null}
                </>
              )}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
