import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { notFound } from "next/navigation";
import { ChangeRequestView } from "@/components/promotions/change-request-view";
import { EmptyState } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { queryKeys } from "@/lib/client/query-keys";
import { ServiceError } from "@/lib/server/errors";
import { getChangeRequest } from "@/lib/server/promotions/get-change-request";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props) {
  const { id } = await params;
  return { title: /^\d+$/.test(id) ? `Change request #${id}` : "Change request" };
}

export default async function ChangeRequestPage({ params }: Props) {
  const { principal } = await requireUser();
  const id = decodeURIComponent((await params).id);
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  try {
    await qc.fetchQuery({ queryKey: queryKeys.changeRequest(id), queryFn: () => getChangeRequest({ principal, input: { id } }) });
  } catch (err) {
    if (err instanceof ServiceError && err.code === "not_found") notFound();
    if (err instanceof ServiceError && err.code === "forbidden") {
      return <EmptyState title="You cannot see this change request">{err.message}</EmptyState>;
    }
    throw err;
  }
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <ChangeRequestView id={id} userId={principal.id} />
    </HydrationBoundary>
  );
}
