"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchIncidents, HEALTH_REFRESH_MS, healthKeys } from "@/lib/client/health-api";
import { IncidentsTable } from "./incidents-table";

/** The most recent incidents, open ones first in time order, refreshed while the page is open. */
export function RecentIncidents() {
  const q = useQuery({ queryKey: healthKeys.incidents("all"), queryFn: () => fetchIncidents("all"), refetchInterval: HEALTH_REFRESH_MS });
  if (q.isError) return <p role="alert" className="text-sm text-red-700">Incidents could not be loaded: {q.error.message}</p>;
  if (!q.data) return <p className="text-sm text-slate-500">Loading…</p>;
  if (q.data.items.length === 0) return <p className="text-sm text-slate-500">No incidents: no check has failed its threshold of consecutive failures.</p>;
  return <IncidentsTable items={q.data.items} />;
}
