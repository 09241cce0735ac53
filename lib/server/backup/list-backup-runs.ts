import "server-only";
import path from "node:path";
import { desc } from "drizzle-orm";
import { backupRuns } from "@/drizzle/schema";
import { authorize, reader, type UseCaseArgs } from "../context";
import { backupScheduleFromEnv } from "./scheduled-backup";

export interface BackupRunView {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  /** The file name in the backup directory (the directory is in `schedule`). */
  file: string | null;
  bytes: number | null;
  error: string | null;
  state: "running" | "written" | "failed";
}

export interface BackupStatus {
  schedule: { dir: string; everyHours: number; keep: number } | null;
  scheduleError: string | null;
  runs: BackupRunView[];
}

/** The backup schedule as configured and its latest runs (by any instance), for administrators. */
export async function listBackupRuns({ principal, input, tx }: UseCaseArgs<{ limit?: number }>): Promise<BackupStatus> {
  authorize(principal, "settings:manage");
  let schedule: BackupStatus["schedule"] = null;
  let scheduleError: string | null = null;
  try {
    const s = backupScheduleFromEnv();
    if (s) schedule = { dir: s.dir, everyHours: s.intervalMs / 3_600_000, keep: s.keep };
  } catch (err) {
    scheduleError = (err as Error).message;
  }
  const db = await reader(tx);
  const rows = await db
    .select()
    .from(backupRuns)
    .orderBy(desc(backupRuns.startedAt))
    .limit(Math.min(Math.max(input.limit ?? 10, 1), 100));
  return {
    schedule,
    scheduleError,
    runs: rows.map((r) => ({
      id: r.id,
      startedAt: r.startedAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
      file: r.file ? path.basename(r.file) : null,
      bytes: r.bytes,
      error: r.error,
      state: r.error ? "failed" : r.finishedAt ? "written" : "running",
    })),
  };
}
