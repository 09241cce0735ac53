import "server-only";
import { log } from "@/lib/log";
import { applyDueChangeRequests } from "@/lib/server/promotions/schedule-change-request";

interface Job {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

const JOBS: Job[] = [{ name: "scheduled-apply", everyMs: 15_000, run: () => applyDueChangeRequests() }];

/**
 * Runs each job on its interval, never two runs of one job at once in this process; across
 * processes the jobs claim their work in PostgreSQL (FOR UPDATE SKIP LOCKED).
 */
export function startJobs(): () => void {
  const timers = JOBS.map((job) => {
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      try {
        await job.run();
      } catch (err) {
        log.error({ err, job: job.name }, "job failed");
      } finally {
        running = false;
      }
    };
    return setInterval(() => void tick(), job.everyMs);
  });
  return () => timers.forEach(clearInterval);
}
