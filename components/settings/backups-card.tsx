import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { formatTime } from "@/lib/client/config-api";
import type { BackupStatus } from "@/lib/server/backup/list-backup-runs";

function size(bytes: number | null): string {
  if (bytes === null) return "—";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const STATE_TONE = { written: "good", failed: "bad", running: "info" } as const;

/** Settings → Backups (administrators): download one now, the schedule as configured, its latest runs. */
export function BackupsCard({ status }: { status: BackupStatus }) {
  const { schedule, scheduleError, runs } = status;
  return (
    <Card
      title="Backups"
      action={
        <a className="text-sm text-indigo-700 hover:underline" href="/api/v1/backup" download>
          Download a backup now
        </a>
      }
    >
      <p className="text-sm text-slate-500">
        A backup is one bundle of the whole SSOT (JSON lines): services, layers with every revision, schemas, policies,
        approvals, tokens and the audit trail. Secrets stay sealed: a restore needs the same{" "}
        <code className="font-mono text-xs">NEXUS_MASTER_KEY</code>, so keep the key safe and apart from the backups.
      </p>
      <div className="mt-3 text-sm" aria-label="Backup schedule">
        {scheduleError ? (
          <p className="text-red-700" role="alert">Scheduled backups are misconfigured: {scheduleError}</p>
        ) : schedule ? (
          <p className="text-slate-700">
            Scheduled: every {schedule.everyHours >= 1 ? `${+schedule.everyHours.toFixed(2)} h` : `${Math.round(schedule.everyHours * 60)} min`} into{" "}
            <code className="font-mono text-xs">{schedule.dir}</code>, the newest {schedule.keep} kept.
          </p>
        ) : (
          <p className="text-slate-700">
            Scheduled backups are off. Set <code className="font-mono text-xs">NEXUS_BACKUP_DIR</code> (and optionally{" "}
            <code className="font-mono text-xs">NEXUS_BACKUP_INTERVAL</code>, <code className="font-mono text-xs">NEXUS_BACKUP_KEEP</code>) to turn them on.
          </p>
        )}
      </div>
      {runs.length === 0 ? (
        <p className="mt-3 text-sm text-slate-500">No scheduled backup has run yet.</p>
      ) : (
        <table className="mt-3 w-full text-sm">
          <caption className="sr-only">Latest scheduled backups</caption>
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-1 pr-4 text-left font-medium">Started</th>
              <th className="py-1 pr-4 text-left font-medium">State</th>
              <th className="py-1 pr-4 text-left font-medium">File</th>
              <th className="py-1 text-right font-medium">Size</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {runs.map((r) => (
              <tr key={r.id}>
                <td className="py-1.5 pr-4 whitespace-nowrap text-slate-700">{formatTime(r.startedAt)}</td>
                <td className="py-1.5 pr-4">
                  <Badge tone={STATE_TONE[r.state]}>{r.state}</Badge>
                  {r.error ? <span className="ml-2 text-xs text-red-700">{r.error}</span> : null}
                </td>
                <td className="py-1.5 pr-4 font-mono text-xs text-slate-700">{r.file ?? "—"}</td>
                <td className="py-1.5 text-right tabular-nums text-slate-700">{size(r.bytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="mt-3 text-sm text-slate-500">
        Restore into an empty instance with <code className="font-mono text-xs">npm run nexus -- restore FILE --dry-run</code>{" "}
        to check a bundle, then without <code className="font-mono text-xs">--dry-run</code> (README, &ldquo;Backup and restore&rdquo;).
      </p>
    </Card>
  );
}
