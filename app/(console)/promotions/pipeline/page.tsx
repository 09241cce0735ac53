import Link from "next/link";
import { Fragment } from "react";
import { PromoteButton } from "@/components/promotions/promote-button";
import { StateBadge } from "@/components/promotions/state-badge";
import { Badge } from "@/components/ui/badge";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { formatTime } from "@/lib/client/promotions-api";
import { listServices } from "@/lib/server/catalog/list-services";
import { getPipeline } from "@/lib/server/promotions/get-pipeline";

export const metadata = { title: "Pipeline" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };
type Pipeline = Awaited<ReturnType<typeof getPipeline>>;
const SHOWN_PATHS = 6;

export default async function PipelinePage({ searchParams }: Props) {
  const { principal } = await requireUser();
  const sp = await searchParams;
  const wanted = Array.isArray(sp.service) ? sp.service[0] : sp.service;
  const services = (await listServices({ principal, input: { limit: 500 } })).items.map((s) => s.name);
  const service = services.find((s) => s === wanted) ?? services[0];
  const pipeline = service ? await getPipeline({ principal, input: { service } }) : null;

  return (
    <>
      <p className="mb-1 text-sm text-slate-500">
        <Link href="/promotions" className="hover:underline">Promotions</Link> /
      </p>
      <PageHeader title="Pipeline" description="One service across the environments: the overlay revision each runs, and what waits to be promoted between them." />
      <form action="/promotions/pipeline" className="mb-6 flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor="pipeline-service" className="block text-xs font-medium text-slate-600">Service</label>
          <select id="pipeline-service" name="service" defaultValue={service} className="mt-1 rounded-md border border-slate-300 px-2 py-1.5 text-sm">
            {services.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        <button className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50">Show</button>
        {service ? <Link href={`/services/${encodeURIComponent(service)}`} className="px-2 py-1.5 text-sm text-indigo-700 hover:underline">Open {service}</Link> : null}
      </form>
      {!pipeline ? (
        <EmptyState title="No services yet">Services appear here once they exist.</EmptyState>
      ) : pipeline.stages.length === 0 ? (
        <EmptyState title="No environments yet">An administrator defines the pipeline first.</EmptyState>
      ) : (
        <Stages pipeline={pipeline} mayCreate={(env) => can(principal, "changes:create", { environment: env })} />
      )}
    </>
  );
}

function Stages({ pipeline, mayCreate }: { pipeline: Pipeline; mayCreate: (env: string) => boolean }) {
  const svc = encodeURIComponent(pipeline.service);
  return (
    <ol className="flex flex-col gap-3 lg:flex-row lg:items-stretch" aria-label={`Pipeline of ${pipeline.service}`}>
      {pipeline.stages.map((stage, i) => {
        const step = i > 0 ? pipeline.steps[i - 1]! : null;
        return (
          <Fragment key={stage.env}>
            {step ? (
              <li className="flex shrink-0 flex-col justify-center rounded-lg border border-dashed border-slate-300 bg-slate-50 p-3 text-sm lg:w-60" aria-label={`From ${step.from} to ${step.to}`} data-testid={`step-${step.from}-${step.to}`}>
                <p className="text-center text-lg text-slate-400" aria-hidden>→</p>
                {step.changes.length === 0 ? (
                  <div className="text-center">
                    <p className="font-medium text-slate-600">Nothing to promote</p>
                    <p className="text-xs text-slate-500">{step.to} has every change made in {step.from}.</p>
                  </div>
                ) : (
                  <>
                    <p className="font-medium text-slate-800">{step.changes.length} change{step.changes.length === 1 ? "" : "s"} to promote</p>
                    <ul className="mt-1 space-y-0.5 font-mono text-xs break-all text-slate-600">
                      {step.changes.slice(0, SHOWN_PATHS).map((c) => <li key={c.path}>{c.kind === "added" ? "+" : c.kind === "removed" ? "−" : "~"} {c.path}</li>)}
                      {step.changes.length > SHOWN_PATHS ? <li>… and {step.changes.length - SHOWN_PATHS} more</li> : null}
                    </ul>
                  </>
                )}
                <div className="mt-3">
                  {step.openRequest ? (
                    <p>
                      <Link href={`/promotions/${step.openRequest.number}`} className="font-medium text-indigo-700 hover:underline">Request #{step.openRequest.number}</Link>{" "}
                      <StateBadge state={step.openRequest.state} />
                    </p>
                  ) : step.changes.length > 0 && mayCreate(step.to) ? (
                    <PromoteButton service={pipeline.service} from={step.from} to={step.to} />
                  ) : null}
                </div>
              </li>
            ) : null}
            <li className="min-w-0 flex-1 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid={`stage-${stage.env}`}>
              <div className="flex flex-wrap items-center gap-2">
                <h2 className="font-semibold text-slate-900">{stage.env}</h2>
                {stage.protected ? <Badge tone="warn">protected</Badge> : null}
                {stage.requiredApprovals > 0 ? <Badge>{stage.requiredApprovals} approval{stage.requiredApprovals > 1 ? "s" : ""}</Badge> : null}
              </div>
              {stage.head ? (
                <div className="mt-3 text-sm">
                  <p>
                    <Link href={`/services/${svc}?env=${encodeURIComponent(stage.env)}&tab=history`} className="font-mono text-2xl font-semibold text-indigo-700 hover:underline">r{stage.head.number}</Link>
                    <span className="ml-2 text-slate-500">overlay revision</span>
                  </p>
                  <p className="mt-1 text-slate-700">{stage.head.message}</p>
                  <p className="text-xs text-slate-500">{stage.head.authorName}, {formatTime(stage.head.createdAt)}</p>
                </div>
              ) : (
                <p className="mt-3 text-sm text-slate-500">No overlay yet: it runs the base and shared template only.</p>
              )}
            </li>
          </Fragment>
        );
      })}
    </ol>
  );
}
