"use client";

import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ServiceHealth } from "@/lib/client/health-api";

const colour = (u: number | null) => (u === null ? "#cbd5e1" : u >= 99.9 ? "#10b981" : u >= 95 ? "#f59e0b" : "#dc2626");

/** Uptime per UTC day over 30 days; days without results are grey and say so in the tooltip. */
export function UptimeBars({ days }: { days: ServiceHealth["daily"] }) {
  if (days.every((d) => d.total === 0)) {
    return (
      <div className="flex h-40 items-center justify-center rounded-md border border-dashed border-slate-300 text-sm text-slate-500" data-testid="uptime-empty">
        No daily uptime yet: days fill in as results are rolled up (every minute).
      </div>
    );
  }
  const data = days.map((d) => ({ ...d, shown: d.uptime ?? 0 }));
  return (
    <figure data-testid="uptime-bars">
      <div className="h-40" role="img" aria-label="Uptime per day over the last 30 days, in percent">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} minTickGap={20} tick={{ fontSize: 11, fill: "#64748b" }} />
            <YAxis domain={[0, 100]} unit=" %" width={56} tick={{ fontSize: 11, fill: "#64748b" }} />
            <Tooltip
              labelFormatter={(d) => `${String(d)} (UTC)`}
              formatter={(_v, _n, item) => {
                const p = item.payload as (typeof data)[number];
                return p.uptime === null ? ["no results", "uptime"] : [`${p.uptime.toFixed(2)}% (${p.total - p.down} of ${p.total} results not down)`, "uptime"];
              }}
            />
            <Bar dataKey="shown" isAnimationActive={false}>
              {data.map((d) => <Cell key={d.day} fill={colour(d.uptime)} />)}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-1 text-xs text-slate-500">Share of results that were up or degraded, per day.</figcaption>
    </figure>
  );
}
