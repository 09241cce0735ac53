import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { DriftBoardView } from "@/components/drift/drift-board";
import { PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { isDriftFilter, type DriftFilter } from "@/lib/client/drift-api";
import { queryKeys } from "@/lib/client/query-keys";
import { getDriftBoard } from "@/lib/server/drift/get-drift-board";

export const metadata = { title: "Drift" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function DriftPage({ searchParams }: Props) {
  const { principal } = await requireUser();
  const sp = await searchParams;
  const raw = one(sp.status);
  const filter: DriftFilter = isDriftFilter(raw) ? raw : "all";
  const q = (one(sp.q) ?? "").trim().slice(0, 100);
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  await qc.prefetchInfiniteQuery({
    queryKey: queryKeys.driftBoard(filter, q),
    queryFn: () => getDriftBoard({ principal, input: { status: filter === "all" ? undefined : filter, q: q || undefined } }),
    initialPageParam: null as string | null,
  });
  return (
    <>
      <PageHeader
        title="Drift"
        description="What each service reports running, compared with the source of truth, per environment. Pick a cell for the paths that differ and what to do about them."
      />
      <HydrationBoundary state={dehydrate(qc)}>
        <DriftBoardView filter={filter} q={q} />
      </HydrationBoundary>
    </>
  );
}
