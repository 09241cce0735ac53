import "server-only";
import { isRefusal } from "@/lib/db/breaker";
import { log } from "@/lib/log";
import { metrics } from "@/lib/metrics";
import { runDriftJobs } from "@/lib/server/drift/run-drift-jobs";
import { runDueChecks } from "@/lib/server/health/run-due-checks";
import { rollUpHealthResults } from "@/lib/server/health/roll-up-results";
import { applyDueChangeRequests } from "@/lib/server/promotions/schedule-change-request";
import { runScheduledBackup } from "@/lib/server/backup/scheduled-backup";
import { pruneWebhookData, runWebhooks } from "@/lib/server/webhooks/run-webhooks";

interface Job {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

const JOBS: Job[] = [
  { name: "scheduled-apply", everyMs: 15_000, run: () => applyDueChangeRequests() },
  { name: "drift-scan", everyMs: 5_000, run: () => runDriftJobs() },
  { name: "health-checks", everyMs: 1_000, run: () => runDueChecks() },
  { name: "health-rollup", everyMs: 60_000, run: () => rollUpHealthResults() },
  { name: "webhooks", everyMs: 2_000, run: () => runWebhooks() },
  { name: "webhooks-retention", everyMs: 3_600_000, run: () => pruneWebhookData() },
  { name: "scheduled-backup", everyMs: 60_000, run: () => runScheduledBackup() },
];

/**
 * Runs each job on its interval, never two runs of one job at once in this process; across
 * processes the jobs claim their work in PostgreSQL (FOR UPDATE SKIP LOCKED).
 */
export function startJobs(): () => void {
  const timers = JOBS.map((job) => {
    let running = false;
    // Job lag (self-monitoring): how long after it was due a run started; a run skipped because the
    // previous one was still going counts from when it was first due.
    let expected = Date.now() + job.everyMs;
    let pendingSince: number | null = null;
    const tick = async () => {
      const due = expected;
      expected = Math.max(due, Date.now() - job.everyMs) + job.everyMs;
      if (running) {
        pendingSince ??= due;
        return;
      }
      running = true;
      const started = Date.now();
      metrics.jobLag.observe({ job: job.name }, Math.max(0, started - (pendingSince ?? due)) / 1000);
      pendingSince = null;
      try {
        await job.run();
        metrics.jobRuns.inc({ job: job.name, outcome: "ok" });
      } catch (err) {
        if (isRefusal(err)) {
          // The database is known to be down: the breaker logged it once, and the job runs again on its next tick.
          metrics.jobRuns.inc({ job: job.name, outcome: "database_unavailable" });
          return;
        }
        metrics.jobRuns.inc({ job: job.name, outcome: "error" });
        log.error({ err, job: job.name }, "job failed");
      } finally {
        metrics.jobDuration.observe({ job: job.name }, (Date.now() - started) / 1000);
        running = false;
      }
    };
    return setInterval(() => void tick(), job.everyMs);
  });
  return () => timers.forEach(clearInterval);
}
