"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Card, EmptyState } from "@/components/ui/card";
import { formatDuration } from "@/lib/domain/health";
import { fetchServiceHealth, formatUptime, HEALTH_REFRESH_MS, healthKeys, type HealthRange } from "@/lib/client/health-api";
import { CheckFormButton, DeleteCheckButton } from "./check-form";
import { IncidentsTable } from "./incidents-table";
import { LatencyChart } from "./latency-chart";
import { StatusBadge } from "./status-badge";
import { UptimeBars } from "./uptime-bars";

const RANGES: HealthRange[] = ["24h", "7d", "30d"];
const RANGE_LABEL: Record<HealthRange, string> = { "24h": "24 hours", "7d": "7 days", "30d": "30 days" };

/** One service's health: checks, latency chart of the selected check, daily uptime, incidents; polls. */
export function ServiceHealthView({ service, range, check, canManage, services }: { service: string; range: HealthRange; check: string | null; canManage: boolean; services: string[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const q = useQuery({ queryKey: healthKeys.service(service, range, check), queryFn: () => fetchServiceHealth(service, range, check), refetchInterval: HEALTH_REFRESH_MS, placeholderData: (prev) => prev });
  const go = (next: { range?: HealthRange; check?: string }) => {
    const sp = new URLSearchParams(params.toString());
    if (next.range) sp.set("range", next.range);
    if (next.check) sp.set("check", next.check);
    router.replace(`${pathname}?${sp.toString()}`, { scroll: false });
  };

  if (q.isError) return <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">The health of {service} could not be loaded: {q.error.message}</p>;
  const d = q.data;
  if (!d) return <p className="text-sm text-slate-500">Loading…</p>;
  const selected = d.checks.find((c) => c.id === d.selected) ?? null;

  return (
    <div className="space-y-6">
      <Card
        title="Checks"
        action={canManage ? <CheckFormButton services={services} environments={d.environments} defaultService={service} variant="secondary">Add check</CheckFormButton> : null}
      >
        {d.checks.length === 0 ? (
          <EmptyState title={`${service} has no health checks`}>
            {canManage ? "Add an HTTP or TCP check per environment; results show here as soon as it has run." : "Someone with the health:manage permission can add HTTP or TCP checks."}
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="checks">
              <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="py-2 pr-4">Environment</th>
                  <th scope="col" className="py-2 pr-4">Check</th>
                  <th scope="col" className="py-2 pr-4">Status</th>
                  <th scope="col" className="py-2 pr-4">Latency</th>
                  <th scope="col" className="whitespace-nowrap py-2 pr-4">Uptime 24 h</th>
                  {range !== "24h" ? <th scope="col" className="whitespace-nowrap py-2 pr-4">Uptime {range}</th> : null}
                  <th scope="col" className="py-2 pr-4">Last error</th>
                  <th scope="col" className="py-2"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {d.checks.map((c) => (
                  <tr key={c.id} data-check={`${c.environment}/${c.name}`} className={c.id === d.selected ? "bg-indigo-50/50" : ""}>
                    <td className="py-2 pr-4">{c.environment}</td>
                    <td className="py-2 pr-4">
                      <button type="button" onClick={() => go({ check: c.id })} className="text-left font-medium text-indigo-700 hover:underline" aria-pressed={c.id === d.selected}>
                        {c.name}
                      </button>
                      <div className="max-w-[16rem] truncate text-xs text-slate-500" title={c.target}>{c.kind.toUpperCase()} {c.target}{c.enabled ? "" : " · disabled"}</div>
                    </td>
                    <td className="py-2 pr-4">
                      <StatusBadge status={c.status} />
                      <div className="text-xs text-slate-500">for {formatDuration(Date.parse(d.generatedAt) - Date.parse(c.statusSince))}</div>
                    </td>
                    <td className="py-2 pr-4 tabular-nums">{c.lastLatencyMs != null ? `${c.lastLatencyMs} ms` : "—"}</td>
                    <td className="py-2 pr-4 tabular-nums">{formatUptime(c.uptime24h)}</td>
                    {range !== "24h" ? <td className="py-2 pr-4 tabular-nums">{formatUptime(c.uptimeRange)}</td> : null}
                    <td className="max-w-[14rem] truncate py-2 pr-4 text-slate-600" title={c.lastError ?? ""}>{c.lastError ?? "—"}</td>
                    <td className="whitespace-nowrap py-2 text-right">
                      {canManage ? (
                        <>
                          <CheckFormButton services={services} environments={d.environments} check={c} variant="ghost">Edit</CheckFormButton>
                          <DeleteCheckButton check={c} />
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      {selected ? (
        <Card
          title={<>Latency of <span data-testid="chart-check">{selected.environment} / {selected.name}</span></>}
          action={
            <div role="group" aria-label="Time range" className="flex gap-1">
              {RANGES.map((r) => (
                <button key={r} type="button" onClick={() => go({ range: r })} aria-pressed={r === range} className={`rounded-md px-2 py-1 text-xs font-medium ${r === range ? "bg-indigo-600 text-white" : "text-slate-600 hover:bg-slate-100"}`} title={`Last ${RANGE_LABEL[r]}`}>
                  {r}
                </button>
              ))}
            </div>
          }
        >
          <LatencyChart points={d.latency} range={range} bucketSeconds={d.bucketSeconds} />
          <h3 className="mb-2 mt-6 text-sm font-semibold text-slate-800">Uptime per day, last 30 days</h3>
          <UptimeBars days={d.daily} />
        </Card>
      ) : null}

      <Card title="Incidents" action={<span className="text-sm text-slate-600">MTTR: <span data-testid="mttr">{d.mttrMs === null ? "no closed incident yet" : formatDuration(d.mttrMs)}</span></span>}>
        {d.incidents.length === 0 ? (
          <p className="text-sm text-slate-500">No incidents: no check of {service} has failed its threshold of consecutive failures.</p>
        ) : (
          <IncidentsTable items={d.incidents} showService={false} />
        )}
      </Card>
      <p className="text-xs text-slate-500">Refreshes every {HEALTH_REFRESH_MS / 1000} s · updated {d.generatedAt.slice(11, 19)} UTC · <Link className="text-indigo-700 hover:underline" href="/health">All services</Link></p>
    </div>
  );
}
