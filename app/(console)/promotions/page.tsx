import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { NewPromotion } from "@/components/promotions/new-promotion";
import { PromotionsList } from "@/components/promotions/promotions-list";
import { PageHeader } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { isCrFilter, type CrFilter } from "@/lib/client/promotions-api";
import { queryKeys } from "@/lib/client/query-keys";
import { listEnvironments } from "@/lib/server/catalog/list-environments";
import { listServices } from "@/lib/server/catalog/list-services";
import { countAwaitingDecision, listChangeRequests } from "@/lib/server/promotions/list-change-requests";

export const metadata = { title: "Promotions" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function PromotionsPage({ searchParams }: Props) {
  const { principal } = await requireUser();
  const sp = await searchParams;
  const raw = one(sp.filter);
  const filter: CrFilter = isCrFilter(raw) ? raw : "open";

  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  await qc.prefetchInfiniteQuery({
    queryKey: queryKeys.changeRequestList(filter),
    queryFn: () => listChangeRequests({ principal, input: { filter } }),
    initialPageParam: null as string | null,
  });
  const awaiting = await countAwaitingDecision({ principal, input: undefined });
  const canCreate = can(principal, "changes:create");
  const [environments, services] = canCreate
    ? await Promise.all([listEnvironments({ principal, input: undefined }), listServices({ principal, input: { limit: 500 } })])
    : [[], { items: [] }];

  return (
    <>
      <PageHeader
        title="Promotions"
        description="Change requests that move configuration along the pipeline, with their checks and approvals."
        action={
          <div className="flex items-center gap-4">
            <Link href="/promotions/pipeline" className="text-sm font-medium text-indigo-700 hover:underline">Pipeline per service</Link>
            {canCreate ? (
              <NewPromotion
                services={services.items.map((s) => s.name)}
                environments={environments.map((e) => e.name)}
                initial={{ open: one(sp.new) === "1", service: one(sp.service), from: one(sp.from) }}
              />
            ) : null}
          </div>
        }
      />
      <HydrationBoundary state={dehydrate(qc)}>
        <PromotionsList filter={filter} awaitingCount={awaiting} />
      </HydrationBoundary>
    </>
  );
}
