import { MAX_BODY_BYTES, route } from "@/lib/api/route";
import { observedFormatOf } from "@/lib/server/drift/observed-format";
import { reportObserved } from "@/lib/server/drift/report-observed";
import { ServiceError } from "@/lib/server/errors";

// POST /api/v1/services/{svc}/environments/{env}/observed — a service reports the config it runs
// (JSON, YAML or dotenv, by Content-Type or ?format=); needs observed:write for that service and environment.
export const POST = route({ permission: "observed:write" }, async ({ req, principal, params, meta }) => {
  const format = observedFormatOf(req.headers.get("content-type"), req.nextUrl.searchParams.get("format"));
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw new ServiceError("too_large", "The report is larger than 1 MiB.");
  const content = await req.text();
  if (Buffer.byteLength(content) > MAX_BODY_BYTES) throw new ServiceError("too_large", "The report is larger than 1 MiB.");
  const { autoCandidates: _, ...result } = await reportObserved({ principal, input: { service: params.svc!, env: params.env!, content, format }, meta });
  return result;
});
