"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { HealthRange, ServiceHealth } from "@/lib/client/health-api";

const tickOf = (range: HealthRange) => (iso: string) =>
  range === "24h" ? `${iso.slice(11, 16)}` : `${iso.slice(5, 10)}${range === "7d" ? "" : ` ${iso.slice(11, 13)}h`}`;

const BUCKET: Record<HealthRange, string> = {
  "24h": "buckets of raw results",
  "7d": "hourly rollups",
  "30d": "6-hour buckets of hourly rollups (p95: the worst hour)",
};
const width = (s: number) => (s >= 3600 ? `${s / 3600}-hour` : `${s / 60}-minute`);

/** Latency p50/p95 over the range; axes in UTC time and milliseconds, a tooltip, and an empty state. */
export function LatencyChart({ points, range, bucketSeconds }: { points: ServiceHealth["latency"]; range: HealthRange; bucketSeconds: number }) {
  if (points.length === 0) {
    return (
      <div className="flex h-64 items-center justify-center rounded-md border border-dashed border-slate-300 text-sm text-slate-500" data-testid="latency-empty">
        No results in this range yet. Points appear once the check has run.
      </div>
    );
  }
  return (
    <figure data-testid="latency-chart" data-points={points.length}>
      <div className="h-64" role="img" aria-label={`Latency p50 and p95 in milliseconds over ${range}, ${points.length} points`}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
            <XAxis dataKey="t" tickFormatter={tickOf(range)} minTickGap={28} tick={{ fontSize: 11, fill: "#64748b" }} label={{ value: "time (UTC)", position: "insideBottomRight", offset: -4, fontSize: 11, fill: "#64748b" }} />
            <YAxis unit=" ms" width={76} tick={{ fontSize: 11, fill: "#64748b" }} allowDecimals={false} />
            <Tooltip
              labelFormatter={(iso) => `${String(iso).replace("T", " ").slice(0, 16)} UTC`}
              formatter={(v, name, item) => [`${Number(v).toFixed(0)} ms`, `${name} (${(item.payload as { count: number }).count} results)`]}
            />
            <Legend verticalAlign="top" height={24} iconType="plainline" />
            <Line type="monotone" dataKey="p50" name="p50" stroke="#4f46e5" strokeWidth={2} dot={points.length < 40} isAnimationActive={false} />
            <Line type="monotone" dataKey="p95" name="p95" stroke="#f59e0b" strokeWidth={2} dot={points.length < 40} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-1 text-xs text-slate-500">Latency percentiles in ms per {width(bucketSeconds)} bucket, {BUCKET[range]}.</figcaption>
    </figure>
  );
}
