import "server-only";
import { sql } from "drizzle-orm";
import { judgeProbe } from "@/lib/domain/health";
import { getDb, rowsOf, type Database } from "@/lib/db/client";
import { log } from "@/lib/log";
import { metrics } from "@/lib/metrics";
import { probe } from "./probe";
import { recordResult } from "./record-result";

interface ClaimedCheck {
  id: string;
  kind: "http" | "tcp";
  target: string;
  method: string;
  timeout_ms: number;
  expected_status_min: number;
  expected_status_max: number;
  json_path: string | null;
  json_expected: string | null;
  header_name: string | null;
  header_value: string | null;
  degraded_ms: number | null;
  scheduled: Date | string;
}

// The lease outlives a probe's timeout: another instance takes the check over only if this one died.
const LEASE_SLACK_MS = 15_000;

/**
 * Claims up to `limit` due checks for this process. The claim moves next_run_at on by one interval
 * and sets a lease, in one statement over rows locked FOR UPDATE SKIP LOCKED: several instances
 * never run the same check at the same time, and none waits for another's claim.
 */
export async function claimDueChecks(db: Database, limit: number): Promise<ClaimedCheck[]> {
  if (limit <= 0) return [];
  const res = await db.execute(sql`
    with due as (
      select id, next_run_at from health_checks
      where enabled and next_run_at <= now() and (lease_until is null or lease_until < now())
      order by next_run_at
      limit ${limit}
      for update skip locked
    )
    update health_checks c set
      lease_until = now() + (c.timeout_ms + ${LEASE_SLACK_MS}) * interval '1 millisecond',
      next_run_at = case
        when c.next_run_at + c.interval_seconds * interval '1 second' > now() then c.next_run_at + c.interval_seconds * interval '1 second'
        else now() + c.interval_seconds * interval '1 second' end
    from due where c.id = due.id
    returning c.id, c.kind, c.target, c.method, c.timeout_ms, c.expected_status_min, c.expected_status_max, c.json_path,
      c.json_expected, c.header_name, c.header_value, c.degraded_ms, due.next_run_at as scheduled`);
  return rowsOf<ClaimedCheck>(res);
}

export interface Checker {
  /** Claims what is due and starts its probes; resolves once claimed, not when the probes end. */
  tick(): Promise<number>;
  /** Waits for every probe started so far (tests, shutdown). */
  drain(): Promise<void>;
  inFlight(): number;
}

/**
 * The health checker of this process. Probes run concurrently up to `concurrency`; each has its own
 * timeout and its own transaction for the result, so a slow target holds one slot, never the others.
 */
export function createChecker(opts: { concurrency?: number; db?: () => Promise<Database> } = {}): Checker {
  const concurrency = opts.concurrency ?? Number(process.env.NEXUS_HEALTH_CONCURRENCY ?? 200);
  const dbOf = opts.db ?? getDb;
  const running = new Set<Promise<void>>();

  const runOne = async (db: Database, c: ClaimedCheck) => {
    const startedAt = new Date();
    metrics.healthCheckLag.observe(Math.max(0, (startedAt.getTime() - new Date(c.scheduled).getTime()) / 1000));
    const outcome = await probe({ kind: c.kind, target: c.target, method: c.method, timeoutMs: c.timeout_ms, headerName: c.header_name, headerValue: c.header_value, readJson: !!c.json_path });
    const verdict = judgeProbe(outcome, { statusMin: c.expected_status_min, statusMax: c.expected_status_max, jsonPath: c.json_path, jsonExpected: c.json_expected, degradedMs: c.degraded_ms });
    metrics.healthCheckResults.inc({ status: verdict.status });
    await recordResult(db, { checkId: c.id, checkedAt: startedAt, status: verdict.status, latencyMs: outcome.latencyMs, statusCode: outcome.statusCode ?? null, error: verdict.error });
  };

  return {
    async tick() {
      const db = await dbOf();
      const claimed = await claimDueChecks(db, concurrency - running.size);
      for (const c of claimed) {
        const p = runOne(db, c)
          .catch((err: unknown) => log.error({ err, check: c.id }, "health check could not be recorded"))
          .finally(() => {
            running.delete(p);
            metrics.healthChecksInFlight.set(running.size);
          });
        running.add(p);
      }
      metrics.healthChecksInFlight.set(running.size);
      return claimed.length;
    },
    async drain() {
      while (running.size > 0) await Promise.all([...running]);
    },
    inFlight: () => running.size,
  };
}

let processChecker: Checker | null = null;

/** The job: one checker per process, ticked every second by the job runner. */
export function runDueChecks(): Promise<number> {
  processChecker ??= createChecker();
  return processChecker.tick();
}
