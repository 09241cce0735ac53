import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { AlertRules } from "@/components/health/alert-rules";
import { CheckFormButton } from "@/components/health/check-form";
import { HealthBoard } from "@/components/health/health-board";
import { RecentIncidents } from "@/components/health/open-incidents";
import { Card, PageHeader } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { healthKeys } from "@/lib/client/health-api";
import { listServices } from "@/lib/server/catalog/list-services";
import { listAlertRules } from "@/lib/server/health/alert-rules";
import { getHealthBoard } from "@/lib/server/health/get-health-board";
import { listIncidents } from "@/lib/server/health/list-incidents";

export const metadata = { title: "Health" };

export default async function HealthPage() {
  const { principal } = await requireUser();
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const board = await getHealthBoard({ principal, input: undefined });
  qc.setQueryData(healthKeys.board(), JSON.parse(JSON.stringify(board)));
  await qc.prefetchQuery({ queryKey: healthKeys.incidents("all"), queryFn: () => listIncidents({ principal, input: { state: "all", limit: 20 } }) });
  await qc.prefetchQuery({ queryKey: healthKeys.alertRules(), queryFn: async () => (await listAlertRules({ principal, input: undefined })).items });
  const canManage = can(principal, "health:manage");
  const services = canManage ? (await listServices({ principal, input: { limit: 500 } })).items.map((s) => s.name) : [];

  return (
    <>
      <PageHeader
        title="Health"
        description="HTTP and TCP checks per service and environment: current status, 24 h uptime and incidents."
        action={canManage ? <CheckFormButton services={services} environments={board.environments}>Add check</CheckFormButton> : null}
      />
      <HydrationBoundary state={dehydrate(qc)}>
        <HealthBoard />
        <div className="mt-6 grid gap-6">
          <Card title="Recent incidents">
            <RecentIncidents />
          </Card>
          <Card title="Alert rules">
            <AlertRules environments={board.environments} canManage={canManage} />
          </Card>
        </div>
      </HydrationBoundary>
    </>
  );
}
