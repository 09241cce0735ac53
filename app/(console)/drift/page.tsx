import { EmptyState, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";

export const metadata = { title: "Drift" };

export default async function DriftPage() {
  await requireUser();
  return (
    <>
      <PageHeader title="Drift" />
      <EmptyState title="Nothing here yet">Once services report the configuration they actually run, differences from the source of truth appear here. No service has reported yet.</EmptyState>
    </>
  );
}
