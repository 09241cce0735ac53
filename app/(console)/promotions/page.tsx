import { EmptyState, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";

export const metadata = { title: "Promotions" };

export default async function PromotionsPage() {
  await requireUser();
  return (
    <>
      <PageHeader title="Promotions" />
      <EmptyState title="Nothing here yet">Change requests that move configuration from development to staging to production appear here. None exist yet.</EmptyState>
    </>
  );
}
