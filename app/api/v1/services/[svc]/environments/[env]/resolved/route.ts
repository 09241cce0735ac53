import { route } from "@/lib/api/route";
import { getResolvedConfig, getResolvedConfigInput } from "@/lib/server/configs/get-resolved-config";
import { auditSecretsDelivery } from "@/lib/server/delivery/secret-deliveries";

const query = getResolvedConfigInput.pick({ at: true, revision: true });

// GET /api/v1/services/{svc}/environments/{env}/resolved — the resolved value with the provenance of every key.
export const GET = route({ permission: "config:read", query }, async ({ principal, params, query: q, meta }) => {
  const { body: _body, contentType: _ct, ...rest } = await getResolvedConfig({ principal, input: { ...q, service: params.svc!, env: params.env! } });
  await auditSecretsDelivery(principal, rest, meta);
  return rest;
});
