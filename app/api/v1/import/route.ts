import { z } from "zod";
import { route } from "@/lib/api/route";
import { importConfigs, importConfigsInput } from "@/lib/server/import/import-configs";

const importQuery = z.object({
  dryRun: z.enum(["1", "0", "true", "false"]).optional().transform((v) => v === "1" || v === "true"),
});

// POST /api/v1/import — {files: [{path, content}], message?}; ?dryRun=1 only reports. 422 (with the
// report) when any file has a problem, and then nothing is written.
export const POST = route(
  { permission: "config:write", body: importConfigsInput.omit({ dryRun: true }), query: importQuery },
  ({ principal, body, query, meta }) => importConfigs({ principal, input: { ...body, dryRun: query.dryRun }, meta }),
);
