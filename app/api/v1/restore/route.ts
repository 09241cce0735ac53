import { z } from "zod";
import { route } from "@/lib/api/route";
import { ServiceError } from "@/lib/server/errors";
import { bundleLines } from "@/lib/server/backup/bundle";
import { restoreBackup } from "@/lib/server/backup/restore-backup";

const query = z.object({ dryRun: z.enum(["0", "1", "true", "false"]).optional() });

// POST /api/v1/restore — restores a bundle (the body, as GET /api/v1/backup gave it, gzip or not) into
// this instance if it is empty; ?dryRun=1 only reports what would be restored and whether it verifies.
export const POST = route({ permission: "settings:manage", query }, async ({ req, principal, query: q, meta }) => {
  if (!req.body) throw new ServiceError("bad_request", "Send the backup bundle as the request body.");
  const dryRun = q.dryRun === "1" || q.dryRun === "true";
  return restoreBackup({ principal, input: { lines: bundleLines(req.body as unknown as AsyncIterable<Uint8Array>), dryRun }, meta });
});
