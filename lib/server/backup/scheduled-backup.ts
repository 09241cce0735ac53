import "server-only";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { createGzip } from "node:zlib";
import { eq, gt, sql } from "drizzle-orm";
import { backupRuns } from "@/drizzle/schema";
import { getDb } from "@/lib/db/client";
import { log } from "@/lib/log";
import { writeBundle } from "./create-backup";

const SCHEDULE_LOCK = 7_164_032;
const PREFIX = "nexus-backup-";
const SUFFIX = ".ndjson.gz";

export interface BackupSchedule {
  dir: string;
  intervalMs: number;
  keep: number;
}

/** "90s", "30m", "6h", "1d" or milliseconds. */
export function parseInterval(text: string): number {
  const m = /^(\d+)\s*(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new Error(`NEXUS_BACKUP_INTERVAL must be a number with a unit (30m, 6h, 1d), not "${text}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? "ms") as "ms"];
  const ms = Number(m[1]) * unit;
  if (ms < 60_000) throw new Error("NEXUS_BACKUP_INTERVAL must be at least one minute");
  return ms;
}

/** Scheduled backups are on when NEXUS_BACKUP_DIR is set; every 24 h and 7 kept unless told otherwise. */
export function backupScheduleFromEnv(env: Record<string, string | undefined> = process.env): BackupSchedule | null {
  if (!env.NEXUS_BACKUP_DIR) return null;
  const keep = Number(env.NEXUS_BACKUP_KEEP ?? 7);
  if (!Number.isInteger(keep) || keep < 1) throw new Error("NEXUS_BACKUP_KEEP must be a whole number of at least 1");
  return { dir: path.resolve(env.NEXUS_BACKUP_DIR), intervalMs: parseInterval(env.NEXUS_BACKUP_INTERVAL ?? "24h"), keep };
}

/**
 * Job: takes a backup when the last one (by any instance) is older than the interval. The run is
 * claimed in PostgreSQL (an advisory lock and a row in backup_runs), so several instances write one
 * backup per interval. The file is written as .tmp and renamed, so a reader never sees half a backup.
 */
export async function runScheduledBackup(schedule: BackupSchedule | null = backupScheduleFromEnv(), now = new Date()): Promise<string | null> {
  if (!schedule) return null;
  const db = await getDb();
  const run = await db.transaction(async (t) => {
    await t.execute(sql`select pg_advisory_xact_lock(${SCHEDULE_LOCK})`);
    const [recent] = await t
      .select({ id: backupRuns.id })
      .from(backupRuns)
      .where(gt(backupRuns.startedAt, new Date(now.getTime() - schedule.intervalMs)))
      .limit(1);
    if (recent) return null;
    const [row] = await t.insert(backupRuns).values({ startedAt: now }).returning({ id: backupRuns.id });
    return row!.id;
  });
  if (!run) return null;

  const file = path.join(schedule.dir, `${PREFIX}${now.toISOString().replace(/[:.]/g, "-")}${SUFFIX}`);
  const tmp = `${file}.tmp`;
  try {
    await mkdir(schedule.dir, { recursive: true });
    await writeFileAtomically(tmp, file, db, now);
    const { size } = await stat(file);
    await db.update(backupRuns).set({ finishedAt: new Date(), file, bytes: size }).where(eq(backupRuns.id, run));
    await prune(schedule);
    log.info({ file, bytes: size }, "scheduled backup written");
    return file;
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    await db.update(backupRuns).set({ finishedAt: new Date(), error: (err as Error).message.slice(0, 2000) }).where(eq(backupRuns.id, run));
    throw err;
  }
}

async function writeFileAtomically(tmp: string, file: string, db: Awaited<ReturnType<typeof getDb>>, now: Date) {
  const gzip = createGzip();
  const out = createWriteStream(tmp);
  const finished = new Promise<void>((resolve, reject) => {
    out.on("close", resolve);
    out.on("error", reject);
    gzip.on("error", reject);
  });
  gzip.pipe(out);
  await writeBundle(
    db,
    (text) =>
      new Promise<void>((resolve) => {
        if (gzip.write(text)) resolve();
        else gzip.once("drain", resolve);
      }),
    now,
  );
  gzip.end();
  await finished;
  await rename(tmp, file);
}

/** Keeps the newest `keep` backups of the directory (by name: the names sort by time). */
async function prune(schedule: BackupSchedule) {
  const files = (await readdir(schedule.dir)).filter((f) => f.startsWith(PREFIX) && f.endsWith(SUFFIX)).sort();
  for (const f of files.slice(0, Math.max(0, files.length - schedule.keep))) await rm(path.join(schedule.dir, f), { force: true });
}
