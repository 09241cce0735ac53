import "server-only";
import { sql } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "@/lib/db/client";

export const RANGES = ["24h", "7d", "30d"] as const;
export type Range = (typeof RANGES)[number];
const RANGE_MS: Record<Range, number> = { "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 };

export function rangeStart(range: Range, now: Date): Date {
  return new Date(now.getTime() - RANGE_MS[range]);
}

export interface Counts {
  total: number;
  down: number;
  degraded: number;
}

const idList = (ids: string[]) => sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);

/**
 * Result counts per check since `since`. Beyond 24 hours from the hourly rollups (raw results are
 * kept 7 days only). Over 24 hours they are exact: hours the rollup job has finished with come from
 * the rollups, the partial first hour and the hours it may still recompute from raw results. (At
 * 1,000 checks every 30 s a day is 2.9 million raw results, which the board would otherwise count
 * on every refresh; `npm run bench -- health` measures both.)
 */
export async function countsByCheck(db: DbOrTx, checkIds: string[], range: Range, now: Date): Promise<Map<string, Counts>> {
  const out = new Map<string, Counts>();
  if (checkIds.length === 0) return out;
  const since = rangeStart(range, now);
  let q;
  if (range === "24h") {
    const firstFullHour = ceilHour(since);
    // The rollup job recomputes from its newest hour and from the previous clock hour (roll-up-results.ts):
    // hours before both are final.
    const [newest] = rowsOf<{ hour: string | Date | null }>(await db.execute(sql`select max(hour) as hour from health_rollups`));
    const rolledTo = newest?.hour ? new Date(newest.hour) : null;
    const finalBefore = rolledTo ? new Date(Math.min(rolledTo.getTime(), floorHour(now).getTime() - 3_600_000)) : null;
    q =
      finalBefore && finalBefore > firstFullHour
        ? sql`select check_id, sum(total)::int as total, sum(down)::int as down, sum(degraded)::int as degraded from (
                select check_id, total, down, degraded from health_rollups
                where check_id in (${idList(checkIds)}) and hour >= ${firstFullHour.toISOString()}::timestamptz and hour < ${finalBefore.toISOString()}::timestamptz
                union all
                select check_id, 1, (status = 'down')::int, (status = 'degraded')::int from health_results
                where check_id in (${idList(checkIds)}) and checked_at > ${since.toISOString()}::timestamptz and checked_at < ${firstFullHour.toISOString()}::timestamptz
                union all
                select check_id, 1, (status = 'down')::int, (status = 'degraded')::int from health_results
                where check_id in (${idList(checkIds)}) and checked_at >= ${finalBefore.toISOString()}::timestamptz and checked_at <= ${now.toISOString()}::timestamptz
              ) c group by check_id`
        : rawCounts(checkIds, since, now);
  } else {
    q = sql`select check_id, sum(total)::int as total, sum(down)::int as down, sum(degraded)::int as degraded
            from health_rollups where check_id in (${idList(checkIds)}) and hour >= date_trunc('hour', ${since.toISOString()}::timestamptz) and hour <= ${now.toISOString()}::timestamptz
            group by check_id`;
  }
  for (const r of rowsOf<{ check_id: string; total: number; down: number; degraded: number }>(await db.execute(q))) {
    out.set(r.check_id, { total: Number(r.total), down: Number(r.down), degraded: Number(r.degraded) });
  }
  return out;
}

/** Counts from the raw results alone (exact, and what the rollup path must agree with). */
export function rawCounts(checkIds: string[], since: Date, now: Date) {
  return sql`select check_id, count(*)::int as total, (count(*) filter (where status = 'down'))::int as down,
              (count(*) filter (where status = 'degraded'))::int as degraded
            from health_results where check_id in (${idList(checkIds)}) and checked_at > ${since.toISOString()}::timestamptz and checked_at <= ${now.toISOString()}::timestamptz
            group by check_id`;
}

const HOUR = 3_600_000;
const floorHour = (d: Date) => new Date(Math.floor(d.getTime() / HOUR) * HOUR);
const ceilHour = (d: Date) => new Date(Math.ceil(d.getTime() / HOUR) * HOUR);

export interface LatencyPoint {
  /** Start of the bucket, ISO. */
  t: string;
  p50: number;
  p95: number;
  count: number;
}

export interface LatencySeries {
  points: LatencyPoint[];
  /** Width of one point's bucket. */
  bucketSeconds: number;
}

/**
 * For 24 h, the bucket follows how much data there is: 1 minute while the oldest result is under
 * 2 hours old (a new check shows a line within minutes), 5 minutes under 6 hours, 15 minutes beyond.
 */
export function rawBucketSeconds(spanMs: number): number {
  return spanMs <= 2 * 3_600_000 ? 60 : spanMs <= 6 * 3_600_000 ? 300 : 900;
}

/**
 * Latency percentiles of one check over a range: buckets of raw results for 24 h; the hourly
 * rollups for 7 d; 6-hour buckets of rollups for 30 d (p50 weighted by result count, p95 the
 * highest hourly p95, so it never understates a bad hour).
 */
export async function latencySeries(db: DbOrTx, checkId: string, range: Range, now: Date): Promise<LatencySeries> {
  const since = rangeStart(range, now).toISOString();
  const until = now.toISOString();
  let bucketSeconds = range === "7d" ? 3600 : 21_600;
  let q;
  if (range === "24h") {
    const [first] = rowsOf<{ at: Date | string | null }>(
      await db.execute(sql`select min(checked_at) as at from health_results where check_id = ${checkId}::uuid and checked_at > ${since}::timestamptz`),
    );
    bucketSeconds = rawBucketSeconds(first?.at ? now.getTime() - new Date(first.at).getTime() : 0);
    q = sql`select to_timestamp(floor(extract(epoch from checked_at) / ${bucketSeconds}) * ${bucketSeconds}) as t,
              percentile_cont(0.5) within group (order by latency_ms) as p50,
              percentile_cont(0.95) within group (order by latency_ms) as p95, count(*)::int as count
            from health_results where check_id = ${checkId}::uuid and checked_at > ${since}::timestamptz and checked_at <= ${until}::timestamptz
            group by 1 order by 1`;
  } else if (range === "7d") {
    q = sql`select hour as t, latency_p50 as p50, latency_p95 as p95, total as count
            from health_rollups where check_id = ${checkId}::uuid and hour >= date_trunc('hour', ${since}::timestamptz) and hour <= ${until}::timestamptz order by hour`;
  } else {
    q = sql`select to_timestamp(floor(extract(epoch from hour) / 21600) * 21600) as t,
              sum(latency_p50::float8 * total) / nullif(sum(total), 0) as p50, max(latency_p95) as p95, sum(total)::int as count
            from health_rollups where check_id = ${checkId}::uuid and hour >= date_trunc('hour', ${since}::timestamptz) and hour <= ${until}::timestamptz
            group by 1 order by 1`;
  }
  const points = rowsOf<{ t: Date | string; p50: number | string; p95: number | string; count: number }>(await db.execute(q)).map((r) => ({
    t: new Date(r.t).toISOString(),
    p50: Math.round(Number(r.p50) * 10) / 10,
    p95: Math.round(Number(r.p95) * 10) / 10,
    count: Number(r.count),
  }));
  return { points, bucketSeconds };
}

export interface DayUptime {
  day: string;
  total: number;
  down: number;
  uptime: number | null;
}

/** Uptime per UTC day over the last `days` days, from the hourly rollups; days without data included. */
export async function dailyUptime(db: DbOrTx, checkIds: string[], days: number, now: Date): Promise<DayUptime[]> {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * 86_400_000);
  const byDay = new Map<string, { total: number; down: number }>();
  if (checkIds.length > 0) {
    const rows = rowsOf<{ day: string; total: number; down: number }>(
      await db.execute(sql`
        select to_char(hour at time zone 'UTC', 'YYYY-MM-DD') as day, sum(total)::int as total, sum(down)::int as down
        from health_rollups where check_id in (${idList(checkIds)}) and hour >= ${start.toISOString()}::timestamptz
        group by 1`),
    );
    for (const r of rows) byDay.set(r.day, { total: Number(r.total), down: Number(r.down) });
  }
  const out: DayUptime[] = [];
  for (let i = 0; i < days; i++) {
    const day = new Date(start.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    const c = byDay.get(day) ?? { total: 0, down: 0 };
    out.push({ day, ...c, uptime: c.total > 0 ? ((c.total - c.down) / c.total) * 100 : null });
  }
  return out;
}
