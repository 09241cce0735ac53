import Link from "next/link";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { listServices } from "@/lib/server/catalog/list-services";

export const metadata = { title: "Services" };

export default async function ServicesPage({ searchParams }: { searchParams: Promise<{ q?: string; cursor?: string }> }) {
  const { principal } = await requireUser();
  const { q, cursor } = await searchParams;
  const page = await listServices({ principal, input: { q, cursor, limit: 50 } });
  return (
    <>
      <PageHeader title="Services" description="Every service whose configuration Nexus holds." />
      <form role="search" className="mb-4 flex gap-2" action="/services">
        <label htmlFor="q" className="sr-only">Search services</label>
        <input
          id="q"
          name="q"
          defaultValue={q}
          placeholder="Search by name, description or owner"
          className="w-full max-w-md rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        />
        <button className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50">Search</button>
      </form>
      {page.items.length === 0 ? (
        <EmptyState title={q ? `No service matches “${q}”` : "No services yet"}>
          {q ? <Link className="text-indigo-700 hover:underline" href="/services">Clear the search</Link> : "Services appear here once they are created or imported."}
        </EmptyState>
      ) : (
        <Card>
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">Name</th>
                <th scope="col" className="py-2 pr-4 font-medium">Description</th>
                <th scope="col" className="py-2 font-medium">Owner</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.items.map((s) => (
                <tr key={s.name}>
                  <td className="py-2 pr-4 font-mono text-sm">
                    <Link href={`/services/${encodeURIComponent(s.name)}`} className="font-medium text-indigo-700 hover:underline">{s.name}</Link>
                  </td>
                  <td className="py-2 pr-4 text-slate-600">{s.description}</td>
                  <td className="py-2 text-slate-600">{s.owner || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.nextCursor ? (
            <div className="mt-4 text-right">
              <Link className="text-sm text-indigo-700 hover:underline" href={`/services?${new URLSearchParams({ ...(q ? { q } : {}), cursor: page.nextCursor })}`}>
                Next page →
              </Link>
            </div>
          ) : null}
        </Card>
      )}
    </>
  );
}
