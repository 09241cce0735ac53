"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useMemo, useState } from "react";
import { EmptyState } from "@/components/ui/card";
import { fetchBoard, formatUptime, HEALTH_REFRESH_MS, healthKeys, STATUS_LABEL, STATUS_ORDER, type HealthBoard as Board, type Status } from "@/lib/client/health-api";
import { StatusBadge } from "./status-badge";

type Sort = "status" | "service" | "uptime";
const STATUSES: Status[] = ["down", "degraded", "unknown", "up"];

/** Services × environments: the current status and 24 h uptime of each cell, sortable and filterable. */
export function HealthBoard() {
  const id = useId();
  const board = useQuery({ queryKey: healthKeys.board(), queryFn: fetchBoard, refetchInterval: HEALTH_REFRESH_MS });
  const [env, setEnv] = useState<string>("all");
  const [status, setStatus] = useState<Status | "all">("all");
  const [sort, setSort] = useState<Sort>("status");

  const data = board.data;
  const envs = useMemo(() => (data ? (env === "all" ? data.environments : data.environments.filter((e) => e === env)) : []), [data, env]);
  const rows = useMemo(() => (data ? sortRows(filterRows(data, envs, status), envs, sort) : []), [data, envs, status, sort]);

  if (board.isError) {
    return <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">The health board could not be loaded: {board.error.message}</p>;
  }
  if (!data) return <p className="text-sm text-slate-500">Loading…</p>;
  if (data.services.length === 0) {
    return (
      <EmptyState title="No health checks yet">
        Add an HTTP or TCP check to a service in an environment; its status and uptime show here as soon as it has run.
      </EmptyState>
    );
  }

  return (
    <div>
      <div className="mb-3 flex flex-wrap items-end gap-4 text-sm">
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-env`} className="text-xs font-medium text-slate-600">Environment</label>
          <select id={`${id}-env`} value={env} onChange={(e) => setEnv(e.target.value)} className="rounded-md border border-slate-300 px-2 py-1.5">
            <option value="all">All environments</option>
            {data.environments.map((e) => <option key={e} value={e}>{e}</option>)}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-status`} className="text-xs font-medium text-slate-600">Status</label>
          <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.target.value as Status | "all")} className="rounded-md border border-slate-300 px-2 py-1.5">
            <option value="all">Any status</option>
            {STATUSES.map((s) => <option key={s} value={s}>{STATUS_LABEL[s]}</option>)}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-sort`} className="text-xs font-medium text-slate-600">Sort by</label>
          <select id={`${id}-sort`} value={sort} onChange={(e) => setSort(e.target.value as Sort)} className="rounded-md border border-slate-300 px-2 py-1.5">
            <option value="status">Worst status first</option>
            <option value="uptime">Lowest 24 h uptime first</option>
            <option value="service">Service name</option>
          </select>
        </div>
        <p className="ml-auto text-xs text-slate-500" aria-live="polite">
          Refreshes every {HEALTH_REFRESH_MS / 1000} s · updated {data.generatedAt.slice(11, 19)} UTC{board.isFetching ? " · refreshing…" : ""}
        </p>
      </div>
      {rows.length === 0 ? (
        <EmptyState title="Nothing matches">No service has a check with that status{env === "all" ? "" : ` in ${env}`}.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-left text-sm" data-testid="health-board">
            <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-2">Service</th>
                {envs.map((e) => <th key={e} scope="col" className="px-4 py-2">{e}</th>)}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={r.service} data-service={r.service}>
                  <th scope="row" className="px-4 py-2 font-medium">
                    <Link href={`/health/${encodeURIComponent(r.service)}`} className="text-indigo-700 hover:underline">{r.service}</Link>
                  </th>
                  {envs.map((e) => {
                    const cell = r.cells[e];
                    return (
                      <td key={e} className="px-4 py-2" data-env={e}>
                        {cell && cell.status ? (
                          <Link href={`/health/${encodeURIComponent(r.service)}`} className="flex flex-wrap items-center gap-2 hover:opacity-80" aria-label={`${r.service} in ${e}: ${STATUS_LABEL[cell.status]}, ${formatUptime(cell.uptime24h)} uptime over 24 h`}>
                            <StatusBadge status={cell.status} />
                            <span className="tabular-nums text-slate-600" title="Uptime over the last 24 hours">{formatUptime(cell.uptime24h)}</span>
                            {cell.openIncidents > 0 ? <span className="text-xs font-medium text-red-700">incident open</span> : null}
                          </Link>
                        ) : (
                          <span className="text-xs text-slate-400">no check</span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

type Row = Board["services"][number];

function filterRows(data: Board, envs: string[], status: Status | "all"): Row[] {
  return data.services.filter((s) => envs.some((e) => s.cells[e]?.status && (status === "all" || s.cells[e]?.status === status)));
}

function sortRows(rows: Row[], envs: string[], sort: Sort): Row[] {
  const worst = (r: Row) => Math.min(...envs.map((e) => (r.cells[e]?.status ? STATUS_ORDER[r.cells[e]!.status!] : 9)));
  const lowest = (r: Row) => Math.min(...envs.map((e) => r.cells[e]?.uptime24h ?? 101));
  return [...rows].sort((a, b) => {
    if (sort === "status") return worst(a) - worst(b) || a.service.localeCompare(b.service);
    if (sort === "uptime") return lowest(a) - lowest(b) || a.service.localeCompare(b.service);
    return a.service.localeCompare(b.service);
  });
}
