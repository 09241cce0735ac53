import { EmptyState, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";

export const metadata = { title: "Health" };

export default async function HealthPage() {
  await requireUser();
  return (
    <>
      <PageHeader title="Health" />
      <EmptyState title="Nothing here yet">Health checks per service and environment appear here once they are configured. None are configured yet.</EmptyState>
    </>
  );
}
