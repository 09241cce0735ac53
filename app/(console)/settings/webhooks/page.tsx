import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { WebhooksPanel } from "@/components/webhooks/webhooks-panel";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { listEndpoints } from "@/lib/server/webhooks/list-endpoints";

export const metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const { principal } = await requireUser();
  const mayManage = can(principal, "settings:manage");
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Nexus POSTs signed events (Standard Webhooks) to these endpoints, retrying with backoff for up to 24 hours."
        action={<Link href="/settings" className="text-sm text-indigo-700 hover:underline">All settings</Link>}
      />
      {mayManage ? (
        <WebhooksPanel initial={await listEndpoints({ principal, input: undefined })} />
      ) : (
        <Card>
          <p className="text-sm text-slate-500">Only administrators see and manage webhook endpoints, their secrets and delivery logs (permission settings:manage).</p>
        </Card>
      )}
    </>
  );
}
