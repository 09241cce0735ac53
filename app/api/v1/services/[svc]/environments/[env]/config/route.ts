import { configResponse, ifNoneMatches } from "@/lib/api/config-response";
import { route } from "@/lib/api/route";
import { getResolvedConfig, getResolvedConfigInput } from "@/lib/server/configs/get-resolved-config";
import { auditSecretsDelivery } from "@/lib/server/delivery/secret-deliveries";

const query = getResolvedConfigInput.omit({ service: true, env: true });

// GET /api/v1/services/{svc}/environments/{env}/config — the resolved config as json|yaml|env|configmap;
// strong ETag, 304 on If-None-Match. Token reads of head configs usually take the fast path in server.ts.
export const GET = route({ permission: "config:read", query }, async ({ principal, params, query: q, req, meta }) => {
  const r = await getResolvedConfig({ principal, input: { ...q, service: params.svc!, env: params.env! } });
  const inm = req.headers.get("if-none-match");
  await auditSecretsDelivery(principal, r, meta, !ifNoneMatches(inm, r.etag));
  return configResponse(inm, r);
});
