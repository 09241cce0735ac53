import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rowsOf, type DbOrTx } from "@/lib/db/client";

// One instance rolls up at a time; the others skip the run (the next one catches up).
const ROLLUP_LOCK = 7_164_061;

export const RAW_RETENTION_DAYS = 7;
export const ROLLUP_RETENTION_DAYS = 90;

/**
 * Job: folds raw results into hourly rollups (uptime counts, p50/p95 latency), recomputing from the
 * last rolled hour so the current hour stays fresh, then drops raw results older than 7 days and
 * rollups older than 90 days.
 */
export async function rollUpHealthResults(db?: DbOrTx): Promise<{ rolled: number; deletedResults: number; deletedRollups: number } | null> {
  const d = db ?? (await getDb());
  return d.transaction(async (t) => {
    const [lock] = rowsOf<{ ok: boolean }>(await t.execute(sql`select pg_try_advisory_xact_lock(${ROLLUP_LOCK}) as ok`));
    if (!lock?.ok) return null;
    const rolled = rowsOf<{ check_id: string }>(
      await t.execute(sql`
        insert into health_rollups (check_id, hour, total, up, degraded, down, latency_p50, latency_p95)
        select check_id, date_trunc('hour', checked_at), count(*)::int,
          (count(*) filter (where status = 'up'))::int, (count(*) filter (where status = 'degraded'))::int,
          (count(*) filter (where status = 'down'))::int,
          round((percentile_cont(0.5) within group (order by latency_ms))::numeric)::int,
          round((percentile_cont(0.95) within group (order by latency_ms))::numeric)::int
        from health_results
        where checked_at >= least(
          coalesce((select max(hour) from health_rollups), now() - interval '${sql.raw(String(RAW_RETENTION_DAYS))} days'),
          date_trunc('hour', now()) - interval '1 hour')
        group by 1, 2
        on conflict (check_id, hour) do update set total = excluded.total, up = excluded.up, degraded = excluded.degraded,
          down = excluded.down, latency_p50 = excluded.latency_p50, latency_p95 = excluded.latency_p95
        returning check_id`),
    ).length;
    const [res] = rowsOf<{ n: number }>(
      await t.execute(sql`with d as (delete from health_results where checked_at < now() - interval '${sql.raw(String(RAW_RETENTION_DAYS))} days' returning 1) select count(*)::int as n from d`),
    );
    const [rol] = rowsOf<{ n: number }>(
      await t.execute(sql`with d as (delete from health_rollups where hour < now() - interval '${sql.raw(String(ROLLUP_RETENTION_DAYS))} days' returning 1) select count(*)::int as n from d`),
    );
    const deletedResults = Number(res?.n ?? 0);
    const deletedRollups = Number(rol?.n ?? 0);
    return { rolled, deletedResults, deletedRollups };
  });
}
