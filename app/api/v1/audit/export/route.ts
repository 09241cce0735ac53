import { route } from "@/lib/api/route";
import { exportAuditEvents, exportAuditInput } from "@/lib/server/audit/export-audit-events";

export const dynamic = "force-dynamic";

// GET /api/v1/audit/export — the filtered audit trail as a download; ?format=csv|jsonl&actor&action&service&env&from&to
export const GET = route({ permission: "audit:read", query: exportAuditInput }, async ({ principal, query, meta }) => {
  const { stream, contentType, filename } = await exportAuditEvents({ principal, input: query });
  return new Response(stream, {
    headers: {
      "content-type": contentType,
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store, no-transform",
      "x-request-id": meta.requestId ?? "",
    },
  });
});
