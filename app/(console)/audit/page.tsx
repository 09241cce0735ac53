import Link from "next/link";
import { AuditTable } from "@/components/audit/audit-table";
import { VerifyChainButton } from "@/components/audit/verify-chain-button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { listAuditEvents, listAuditEventsInput } from "@/lib/server/audit/list-audit-events";

export const metadata = { title: "Audit trail" };

const FILTERS = [
  { name: "actor", label: "Actor id" },
  { name: "action", label: "Action" },
  { name: "service", label: "Service" },
  { name: "env", label: "Environment" },
] as const;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { principal } = await requireUser();
  if (!can(principal, "audit:read")) {
    return <EmptyState title="You cannot read the audit trail">It needs the audit:read permission.</EmptyState>;
  }
  const raw = await searchParams;
  const filters = Object.fromEntries(Object.entries(raw).filter(([, v]) => v)) as Record<string, string>;
  const parsed = listAuditEventsInput.safeParse({ ...filters, limit: 50 });
  const page = parsed.success ? await listAuditEvents({ principal, input: parsed.data }) : null;
  const { cursor: _cursor, ...withoutCursor } = filters;

  return (
    <>
      <PageHeader title="Audit trail" description="Every change, who made it and when; hash-chained and append-only." action={<VerifyChainButton />} />
      <form className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-6" action="/audit">
        {FILTERS.map((f) => (
          <div key={f.name}>
            <label htmlFor={`f-${f.name}`} className="block text-xs font-medium text-slate-600">{f.label}</label>
            <input id={`f-${f.name}`} name={f.name} defaultValue={filters[f.name]} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1 text-sm" />
          </div>
        ))}
        <div>
          <label htmlFor="f-from" className="block text-xs font-medium text-slate-600">From (ISO time)</label>
          <input id="f-from" name="from" defaultValue={filters.from} placeholder="2026-01-01T00:00:00Z" className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1 text-sm" />
        </div>
        <div className="flex items-end gap-2">
          <button className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500">Filter</button>
          <Link href="/audit" className="px-2 py-1.5 text-sm text-slate-600 hover:underline">Reset</Link>
        </div>
      </form>
      {!parsed.success ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          The filters are not valid: {parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}
        </p>
      ) : page && page.items.length === 0 ? (
        <EmptyState title="No audit events match these filters" />
      ) : page ? (
        <Card>
          <AuditTable events={page.items} />
          <div className="mt-4 flex justify-end gap-4 text-sm">
            {filters.cursor ? <Link className="text-indigo-700 hover:underline" href={`/audit?${new URLSearchParams(withoutCursor)}`}>← Newest</Link> : null}
            {page.nextCursor ? (
              <Link className="text-indigo-700 hover:underline" href={`/audit?${new URLSearchParams({ ...withoutCursor, cursor: page.nextCursor })}`}>
                Older →
              </Link>
            ) : null}
          </div>
        </Card>
      ) : null}
    </>
  );
}
