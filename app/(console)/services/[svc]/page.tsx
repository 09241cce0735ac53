import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ComparePanel } from "@/components/config/compare-panel";
import { HistoryPanel } from "@/components/config/history-panel";
import { LayerPanel } from "@/components/config/layer-panel";
import { LAYER_KINDS, TABS, type Tab } from "@/components/config/links";
import { ResolvedPanel } from "@/components/config/resolved-panel";
import { SchemaPanel } from "@/components/config/schema-panel";
import { SecretsPanel } from "@/components/config/secrets-panel";
import { ServiceTabs } from "@/components/config/service-tabs";
import { DriftBadges } from "@/components/drift/drift-badge";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import type { LayerKind, ServicePermissions } from "@/lib/client/config-api";
import { listEnvironments } from "@/lib/server/catalog/list-environments";
import { listServices } from "@/lib/server/catalog/list-services";
import { getServiceDrift } from "@/lib/server/drift/get-drift-board";
import { prefetchTab } from "./prefetch";

type Params = { params: Promise<{ svc: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Params) {
  const { svc } = await params;
  return { title: decodeURIComponent(svc) };
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function ServicePage({ params, searchParams }: Params) {
  const { principal } = await requireUser();
  const svc = decodeURIComponent((await params).svc);
  const sp = await searchParams;

  // Names are unique; the search narrows the scan, the exact match decides.
  const found = await listServices({ principal, input: { q: svc, limit: 500 } });
  const service = found.items.find((s) => s.name === svc);
  if (!service) notFound();
  const environments = await listEnvironments({ principal, input: undefined });
  if (environments.length === 0) {
    return (
      <>
        <PageHeader title={service.name} description={service.description} />
        <EmptyState title="No environments yet">An administrator defines the pipeline (development → staging → production) first.</EmptyState>
      </>
    );
  }

  const envRow = environments.find((e) => e.name === one(sp.env)) ?? environments[0]!;
  const env = envRow.name;
  const tab: Tab = (TABS as readonly string[]).includes(one(sp.tab) ?? "") ? (one(sp.tab) as Tab) : "resolved";
  const layer: LayerKind = (LAYER_KINDS as readonly string[]).includes(one(sp.layer) ?? "") ? (one(sp.layer) as LayerKind) : "overlay";
  const rev = Number(one(sp.rev));
  const focus = Number.isInteger(rev) && rev > 0 ? rev : undefined;

  const target = (environment: string) => ({ service: svc, environment });
  const byEnv = (p: Parameters<typeof can>[1]) => Object.fromEntries(environments.map((e) => [e.name, can(principal, p, target(e.name))]));
  const perms: ServicePermissions = {
    configWrite: byEnv("config:write"),
    secretsRead: byEnv("secrets:read"),
    secretsWrite: byEnv("secrets:write"),
    configWriteAll: environments.every((e) => can(principal, "config:write", target(e.name))),
    settingsManage: can(principal, "settings:manage"),
  };
  const canWriteLayer = layer === "overlay" ? perms.configWrite[env]! : perms.configWriteAll;

  const drift = can(principal, "drift:read") ? await getServiceDrift({ principal, input: { service: svc } }) : [];

  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  await prefetchTab(qc, principal, { service: svc, env, tab, layer });
  // Keys make every panel start fresh when the environment, tab or layer changes.
  const key = `${env}-${tab}-${layer}-${focus ?? ""}`;

  return (
    <>
      <p className="mb-1 text-sm text-slate-500">
        <Link href="/services" className="hover:underline">Services</Link> /
      </p>
      <PageHeader
        title={service.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span>{service.description || "No description."}</span>
            {service.owner ? <span className="text-slate-400">· owner {service.owner}</span> : null}
            {service.tags.map((t) => <Badge key={t}>{t}</Badge>)}
          </span>
        }
        action={drift.length ? <DriftBadges service={svc} statuses={drift} /> : undefined}
      />
      <ServiceTabs service={svc} environments={environments} env={env} tab={tab} layer={layer} />
      <HydrationBoundary state={dehydrate(qc)}>
        {tab === "resolved" ? <ResolvedPanel key={key} service={svc} env={env} canReadSecrets={perms.secretsRead[env]!} /> : null}
        {tab === "layers" ? <LayerPanel key={key} service={svc} env={env} envProtected={envRow.protected} kind={layer} canWrite={canWriteLayer} /> : null}
        {tab === "history" ? (
          <HistoryPanel
            key={key}
            service={svc}
            env={env}
            kind={layer}
            canWrite={canWriteLayer}
            protectedEnv={layer === "overlay" && envRow.protected ? env : null}
            focus={focus}
          />
        ) : null}
        {tab === "secrets" ? <SecretsPanel key={key} service={svc} env={env} canRead={perms.secretsRead[env]!} canWrite={perms.secretsWrite[env]!} /> : null}
        {tab === "compare" ? <ComparePanel key={key} service={svc} environments={environments} env={env} /> : null}
        {tab === "schema" ? <SchemaPanel key={key} service={svc} canEdit={perms.settingsManage} /> : null}
      </HydrationBoundary>
    </>
  );
}
