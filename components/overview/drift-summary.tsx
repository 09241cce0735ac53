import Link from "next/link";
import type { DriftCounts } from "@/lib/server/overview/get-overview";

const SHOWN: { key: keyof DriftCounts; label: string; cls: string }[] = [
  { key: "drifted", label: "drifted", cls: "font-semibold text-red-700" },
  { key: "stale", label: "stale", cls: "text-amber-700" },
  { key: "awaiting_rollout", label: "awaiting rollout", cls: "text-slate-600" },
  { key: "unknown", label: "unknown", cls: "text-slate-500" },
  { key: "in_sync", label: "in sync", cls: "text-emerald-700" },
];

/** Drift counts per environment, read from the drift scanner's status table; links to the drift board. */
export function DriftSummary({ drift }: { drift: { environment: string; counts: DriftCounts }[] }) {
  if (drift.length === 0) return <p className="text-sm text-slate-500">No drift reports yet: services have not reported the config they run.</p>;
  return (
    <ul className="space-y-2 text-sm" data-testid="drift-summary">
      {drift.map((e) => (
        <li key={e.environment} className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <Link href="/drift" className="w-24 font-medium text-indigo-700 hover:underline">{e.environment}</Link>
          {SHOWN.filter((s) => s.key === "drifted" || e.counts[s.key] > 0).map((s) => (
            <span key={s.key} className={e.counts[s.key] > 0 ? s.cls : "text-slate-500"}>{e.counts[s.key]} {s.label}</span>
          ))}
        </li>
      ))}
    </ul>
  );
}
