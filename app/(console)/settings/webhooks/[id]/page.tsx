import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui/card";
import { EndpointDetail } from "@/components/webhooks/endpoint-detail";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { ServiceError } from "@/lib/server/errors";
import { getEndpoint } from "@/lib/server/webhooks/list-endpoints";

export const metadata = { title: "Webhook endpoint" };

export default async function WebhookEndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { principal } = await requireUser();
  const back = <Link href="/settings/webhooks" className="text-sm text-indigo-700 hover:underline">All webhooks</Link>;
  if (!can(principal, "settings:manage")) {
    return (
      <>
        <PageHeader title="Webhook endpoint" action={back} />
        <Card><p className="text-sm text-slate-500">Only administrators see webhook endpoints and their delivery logs (permission settings:manage).</p></Card>
      </>
    );
  }
  const endpoint = await getEndpoint({ principal, input: { id } }).catch((e: unknown) => {
    if (e instanceof ServiceError && e.code === "not_found") notFound();
    throw e;
  });
  return (
    <>
      <PageHeader title="Webhook endpoint" description="Its configuration, health and every delivery with each attempt." action={back} />
      <EndpointDetail initial={endpoint} />
    </>
  );
}
