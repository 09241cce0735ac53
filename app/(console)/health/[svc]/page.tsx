import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ServiceHealthView } from "@/components/health/service-health-view";
import { PageHeader } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { healthKeys, type HealthRange } from "@/lib/client/health-api";
import { listServices } from "@/lib/server/catalog/list-services";
import { ServiceError } from "@/lib/server/errors";
import { getServiceHealth } from "@/lib/server/health/get-service-health";

type Props = { params: Promise<{ svc: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export async function generateMetadata({ params }: Props) {
  return { title: `Health of ${(await params).svc}` };
}

export default async function ServiceHealthPage({ params, searchParams }: Props) {
  const { principal } = await requireUser();
  const { svc } = await params;
  const sp = await searchParams;
  const range: HealthRange = (["24h", "7d", "30d"] as const).find((r) => r === one(sp.range)) ?? "24h";
  const raw = one(sp.check);
  const check = raw && /^[0-9a-f-]{36}$/i.test(raw) ? raw : null;
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  let data;
  try {
    data = await getServiceHealth({ principal, input: { service: svc, range, check: check ?? undefined } });
  } catch (err) {
    if (err instanceof ServiceError && err.code === "not_found") notFound();
    throw err;
  }
  qc.setQueryData(healthKeys.service(svc, range, check), JSON.parse(JSON.stringify(data)));
  const canManage = can(principal, "health:manage");
  const services = canManage ? (await listServices({ principal, input: { limit: 500 } })).items.map((s) => s.name) : [];

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <Link href="/health" className="hover:underline">Health</Link> <span aria-hidden>/</span> {svc}
      </nav>
      <PageHeader
        title={`Health of ${svc}`}
        description={data.description || undefined}
        action={<Link href={`/services/${encodeURIComponent(svc)}`} className="text-sm font-medium text-indigo-700 hover:underline">Configuration of {svc}</Link>}
      />
      <HydrationBoundary state={dehydrate(qc)}>
        <ServiceHealthView service={svc} range={range} check={check} canManage={canManage} services={services} />
      </HydrationBoundary>
    </>
  );
}
