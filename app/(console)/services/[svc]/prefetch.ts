import "server-only";
import type { QueryClient } from "@tanstack/react-query";
import type { Principal } from "@/lib/auth/permissions";
import { configKeys, toResolvedView, type LayerKind, type LayerRef } from "@/lib/client/config-api";
import type { Tab } from "@/components/config/links";
import { getLayer } from "@/lib/server/configs/get-layer";
import { getResolvedConfig } from "@/lib/server/configs/get-resolved-config";
import { listRevisions } from "@/lib/server/configs/list-revisions";
import { getSchema } from "@/lib/server/configs/put-schema";
import { listSecrets } from "@/lib/server/secrets/secrets";

/**
 * First paint of the active tab: the same data the client would fetch from /api/v1, read through
 * the use cases and dehydrated under the same query keys. A failure here is not fatal: the
 * query is left out, and the client fetches it again and shows the error itself.
 */
export async function prefetchTab(
  qc: QueryClient,
  principal: Principal,
  q: { service: string; env: string; tab: Tab; layer: LayerKind },
): Promise<void> {
  const { service, env } = q;
  const ref: LayerRef = q.layer === "overlay" ? { kind: "overlay", service, env } : q.layer === "base" ? { kind: "base", service } : { kind: "shared" };
  const input = { layer: q.layer, service: q.layer === "shared" ? null : service, env: q.layer === "overlay" ? env : null };
  switch (q.tab) {
    case "resolved":
      return qc.prefetchQuery({
        queryKey: configKeys.resolved(service, env),
        // toResolvedView drops secret values before anything reaches the HTML.
        queryFn: async () => toResolvedView(await getResolvedConfig({ principal, input: { service, env } })),
      });
    case "layers":
      return qc.prefetchQuery({ queryKey: configKeys.layer(ref), queryFn: () => getLayer({ principal, input }) });
    case "history":
      return qc.prefetchInfiniteQuery({
        queryKey: configKeys.revisions(ref),
        queryFn: () => listRevisions({ principal, input }),
        initialPageParam: null as string | null,
      });
    case "secrets":
      return qc.prefetchQuery({ queryKey: configKeys.secrets(service, env), queryFn: () => listSecrets({ principal, input: { service, env } }) });
    case "schema":
      return qc.prefetchQuery({ queryKey: configKeys.schema(service), queryFn: () => getSchema({ principal, input: { service } }) });
    case "compare":
      return;
  }
}
