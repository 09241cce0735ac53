import Link from "next/link";
import { STATUS_CELL, STATUS_LABEL, type DriftStatusName } from "@/lib/client/drift-api";

/** A service's drift per environment, small, each linking to its drift page. */
export function DriftBadges({ service, statuses }: { service: string; statuses: { environment: string; status: DriftStatusName; driftCount: number }[] }) {
  return (
    <span className="flex flex-wrap items-center gap-1.5" data-testid="service-drift">
      <span className="text-xs text-slate-500">Drift</span>
      {statuses.map((s) => (
        <Link
          key={s.environment}
          href={`/drift/${encodeURIComponent(service)}/${encodeURIComponent(s.environment)}`}
          title={`${s.environment}: ${STATUS_LABEL[s.status]}${s.driftCount ? ` (${s.driftCount} path${s.driftCount === 1 ? "" : "s"})` : ""}`}
          className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_CELL[s.status]}`}
        >
          {s.environment}: {STATUS_LABEL[s.status]}
        </Link>
      ))}
    </span>
  );
}
