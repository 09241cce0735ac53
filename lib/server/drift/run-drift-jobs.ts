import "server-only";
import { pullDueTargets } from "./pull-observed";
import { autoRemediate } from "./reapply-desired";
import { scanDueDrift } from "./scan";

/** The drift job: pulls due targets, scans due pairs, then runs automatic remediation where it is on. */
export async function runDriftJobs(): Promise<{ pulled: number; scanned: number; remediated: number }> {
  const pulled = await pullDueTargets();
  const scan = await scanDueDrift();
  const remediated = scan.autoCandidates.length ? await autoRemediate(scan.autoCandidates) : 0;
  return { pulled, scanned: scan.scanned, remediated };
}
