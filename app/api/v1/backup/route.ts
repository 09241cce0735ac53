import { route } from "@/lib/api/route";
import { streamBackup } from "@/lib/server/backup/create-backup";

// GET /api/v1/backup — streams the whole SSOT as one versioned bundle (JSON lines; secrets stay sealed).
export const GET = route({ permission: "settings:manage" }, async ({ principal, meta }) => {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(await streamBackup({ principal, meta }), {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="nexus-backup-${stamp}.ndjson"`,
      "cache-control": "no-store",
      "x-request-id": meta.requestId ?? "",
    },
  });
});
