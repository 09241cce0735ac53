import { publicRoute } from "@/lib/api/route";
import { checkReadiness } from "@/lib/server/system/check-readiness";

export const dynamic = "force-dynamic";

// GET /api/readyz — 200 when the database answers and is migrated, 503 otherwise.
export const GET = publicRoute(async () => {
  const r = await checkReadiness();
  return Response.json(
    r.ready ? { status: "ready" } : { status: "unavailable", reason: r.reason },
    { status: r.ready ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
});
