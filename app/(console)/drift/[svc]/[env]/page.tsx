import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { DriftDetailView } from "@/components/drift/drift-detail";
import { PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { queryKeys } from "@/lib/client/query-keys";
import { getDriftDetail } from "@/lib/server/drift/get-drift-detail";

type Params = { params: Promise<{ svc: string; env: string }> };

export async function generateMetadata({ params }: Params) {
  const { svc, env } = await params;
  return { title: `Drift of ${decodeURIComponent(svc)} in ${decodeURIComponent(env)}` };
}

export default async function DriftDetailPage({ params }: Params) {
  const { principal } = await requireUser();
  const p = await params;
  const service = decodeURIComponent(p.svc);
  const env = decodeURIComponent(p.env);
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  // A failure (unknown service, no permission) is left to the client, which shows it.
  await qc.prefetchQuery({ queryKey: queryKeys.driftDetail(service, env), queryFn: () => getDriftDetail({ principal, input: { service, env } }) });
  return (
    <>
      <p className="mb-1 text-sm text-slate-500">
        <Link href="/drift" className="hover:underline">Drift</Link> /
      </p>
      <PageHeader
        title={`${service} in ${env}`}
        description={<>Desired (the source of truth) against observed (what {service} reports running). <Link className="text-indigo-700 hover:underline" href={`/services/${encodeURIComponent(service)}?env=${encodeURIComponent(env)}`}>Open the service</Link></>}
      />
      <HydrationBoundary state={dehydrate(qc)}>
        <DriftDetailView service={service} env={env} />
      </HydrationBoundary>
    </>
  );
}
