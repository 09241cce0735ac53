import Link from "next/link";
import { AuditFilterForm, type AuditFilterValues } from "@/components/audit/audit-filter-form";
import { AuditTable } from "@/components/audit/audit-table";
import { VerifyChain } from "@/components/audit/verify-chain-button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { listAuditEvents, listAuditEventsInput } from "@/lib/server/audit/list-audit-events";
import { listEnvironments } from "@/lib/server/catalog/list-environments";
import { listServices } from "@/lib/server/catalog/list-services";
import { ServiceError } from "@/lib/server/errors";

export const metadata = { title: "Audit trail" };

const KEYS = ["actor", "action", "service", "env", "from", "to"] as const;

/**
 * datetime-local gives `2026-01-02T03:04` (no zone): the form says UTC, so it is read as UTC; a
 * "to" minute includes its whole minute.
 */
function asInstant(v: string, end: boolean): string {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) return `${v}${end ? ":59.999" : ":00"}Z`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(v)) return `${v}${end ? ".999" : ""}Z`;
  return v;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { principal } = await requireUser();
  if (!can(principal, "audit:read")) {
    return <EmptyState title="You cannot read the audit trail">It needs the audit:read permission.</EmptyState>;
  }
  const raw = await searchParams;
  const one = (k: string) => {
    const v = raw[k];
    const s = Array.isArray(v) ? v[0] : v;
    return s?.trim() ? s.trim() : undefined;
  };
  const filters: AuditFilterValues = {};
  for (const k of KEYS) {
    const v = one(k);
    if (v) filters[k] = k === "from" || k === "to" ? asInstant(v, k === "to") : v;
  }
  const cursor = one("cursor");
  const parsed = listAuditEventsInput.safeParse({ ...filters, cursor, limit: 50 });
  let page: Awaited<ReturnType<typeof listAuditEvents>> | null = null;
  let problem: string | null = parsed.success ? null : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
  if (parsed.success) {
    try {
      page = await listAuditEvents({ principal, input: parsed.data });
    } catch (err) {
      if (!(err instanceof ServiceError) || err.code !== "invalid") throw err;
      problem = err.message;
    }
  }
  const [environments, services] = await Promise.all([
    listEnvironments({ principal, input: undefined }).catch(() => []),
    listServices({ principal, input: { limit: 500 } }).catch(() => ({ items: [] })),
  ]);
  const query = new URLSearchParams(Object.entries(filters) as [string, string][]);
  const filtered = query.size > 0;

  return (
    <>
      <PageHeader
        title="Audit trail"
        description="Every change, who made it and when, with what it was before and after; hash-chained and append-only."
      />
      <VerifyChain />
      <AuditFilterForm values={filters} environments={environments.map((e) => e.name)} services={services.items.map((s) => s.name)} />
      {problem ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          The filters are not valid: {problem}
        </p>
      ) : page && page.items.length === 0 ? (
        <EmptyState title={filtered ? "No audit events match these filters" : "No audit events yet"}>
          {filtered ? "Widen the time range or remove a filter." : "Changes to configuration, promotions, tokens and settings are recorded here."}
        </EmptyState>
      ) : page ? (
        <Card
          title={filtered ? "Matching events" : "All events"}
          action={
            <div className="flex items-center gap-3 text-sm" aria-label="Export">
              <span className="text-slate-500">Export {filtered ? "these filters" : "everything"}:</span>
              <a className="font-medium text-indigo-700 hover:underline" href={`/api/v1/audit/export?${new URLSearchParams([...query, ["format", "csv"]])}`} download>
                CSV
              </a>
              <a className="font-medium text-indigo-700 hover:underline" href={`/api/v1/audit/export?${new URLSearchParams([...query, ["format", "jsonl"]])}`} download>
                JSON lines
              </a>
            </div>
          }
        >
          <AuditTable events={page.items} />
          <nav aria-label="Pages" className="mt-4 flex justify-end gap-4 text-sm">
            {cursor ? <Link className="text-indigo-700 hover:underline" href={`/audit?${query}`}>← Newest</Link> : null}
            {page.nextCursor ? (
              <Link className="text-indigo-700 hover:underline" href={`/audit?${new URLSearchParams([...query, ["cursor", page.nextCursor]])}`}>
                Older →
              </Link>
            ) : null}
          </nav>
        </Card>
      ) : null}
    </>
  );
}
