import Link from "next/link";
import { AuditTable } from "@/components/audit/audit-table";
import { AutoRefresh } from "@/components/overview/auto-refresh";
import { DriftSummary } from "@/components/overview/drift-summary";
import { HealthSummary } from "@/components/overview/health-summary";
import { PromotionsSummary } from "@/components/promotions/promotions-summary";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { getOverview } from "@/lib/server/overview/get-overview";
import { getPromotionSummary } from "@/lib/server/promotions/get-promotion-summary";

export const metadata = { title: "Overview" };

const link = "text-sm text-indigo-700 hover:underline";

export default async function OverviewPage() {
  const { principal } = await requireUser();
  const overview = await getOverview({ principal, input: undefined });
  const promotions = can(principal, "changes:read") ? await getPromotionSummary({ principal, input: undefined }) : null;
  return (
    <>
      <AutoRefresh everyMs={30_000} />
      <PageHeader title="Overview" description="The platform at a glance: health, drift, promotions waiting for approval and the latest changes." />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Health" action={<Link className={link} href="/health">Health board</Link>}>
          {overview.health === null ? <p className="text-sm text-slate-500">You cannot read health checks.</p> : <HealthSummary summary={overview.health} />}
        </Card>
        <Card title="Drift" action={<Link className={link} href="/drift">Drift board</Link>}>
          {overview.drift === null ? <p className="text-sm text-slate-500">You cannot read drift.</p> : <DriftSummary drift={overview.drift} />}
        </Card>
        <Card title="Promotions" action={<Link className={link} href="/promotions">Promotions</Link>}>
          {promotions ? <PromotionsSummary summary={promotions} /> : <p className="text-sm text-slate-500">You cannot read change requests.</p>}
        </Card>
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
        <Card title="Services" action={<Link className={link} href="/services">All services</Link>}>
          <p className="text-3xl font-semibold" data-testid="service-count">{overview.serviceCount}</p>
          <p className="text-sm text-slate-500">services under management</p>
        </Card>
      </div>
      <div className="mt-6">
        <Card title="Recent changes" action={overview.recent ? <Link className={link} href="/audit">Audit trail</Link> : null}>
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
