import Link from "next/link";
import { AuditTable } from "@/components/audit/audit-table";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { getOverview } from "@/lib/server/overview/get-overview";
import { getPromotionSummary } from "@/lib/server/promotions/get-promotion-summary";
import { PromotionsSummary } from "@/components/promotions/promotions-summary";

export const metadata = { title: "Overview" };

export default async function OverviewPage() {
  const { principal } = await requireUser();
  const overview = await getOverview({ principal, input: undefined });
  const promotions = await getPromotionSummary({ principal, input: undefined });
  return (
    <>
      <PageHeader title="Overview" description="The platform at a glance: pipeline, services and the latest changes." />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Pipeline">
          {overview.environments.length === 0 ? (
            <p className="text-sm text-slate-500">No environments yet.</p>
          ) : (
            <ol className="flex flex-wrap items-center gap-2 text-sm" aria-label="Promotion order">
              {overview.environments.map((e, i) => (
                <li key={e.name} className="flex items-center gap-2">
                  {i > 0 ? <span aria-hidden className="text-slate-400">→</span> : null}
                  <span className="font-medium">{e.name}</span>
                  {e.protected ? <Badge tone="warn">protected</Badge> : null}
                  {e.requiredApprovals > 0 ? <Badge>{e.requiredApprovals} approval{e.requiredApprovals > 1 ? "s" : ""}</Badge> : null}
                </li>
              ))}
            </ol>
          )}
        </Card>
        <Card title="Services" action={<Link className="text-sm text-indigo-700 hover:underline" href="/services">All services</Link>}>
          <p className="text-3xl font-semibold" data-testid="service-count">{overview.serviceCount}</p>
          <p className="text-sm text-slate-500">services under management</p>
        </Card>
        <Card title="Health, drift and promotions" action={<Link className="text-sm text-indigo-700 hover:underline" href="/promotions">Promotions</Link>}>
          <PromotionsSummary summary={promotions} />
          <p className="mt-3 border-t border-slate-100 pt-3 text-sm text-slate-500">No health checks or drift reports exist yet. They appear here as soon as there are any.</p>
        </Card>
      </div>
      <div className="mt-6">
        <Card title="Recent changes" action={overview.recent ? <Link className="text-sm text-indigo-700 hover:underline" href="/audit">Audit trail</Link> : null}>
          {overview.recent === null ? (
            <p className="text-sm text-slate-500">You cannot read the audit trail.</p>
          ) : overview.recent.length === 0 ? (
            <EmptyState title="Nothing has changed yet" />
          ) : (
            <AuditTable events={overview.recent} compact />
          )}
        </Card>
      </div>
    </>
  );
}
