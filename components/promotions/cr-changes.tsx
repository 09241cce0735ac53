import Link from "next/link";
import { Card } from "@/components/ui/card";
import type { ChangeRequestView } from "@/lib/client/promotions-api";

type Change = ChangeRequestView["items"][number]["changes"][number];

const ROW: Record<Change["kind"], { row: string; sign: string; word: string }> = {
  added: { row: "bg-emerald-50", sign: "+", word: "added" },
  removed: { row: "bg-red-50", sign: "−", word: "removed" },
  changed: { row: "bg-amber-50", sign: "~", word: "changed" },
};

/** Per service, path by path: what the target looks like after apply (or what a closed request changed). */
export function CrChanges({ cr }: { cr: ChangeRequestView }) {
  const resolved = cr.changesScope === "resolved";
  return (
    <Card title={resolved ? `What ${cr.to} will look like after apply` : `What this request changed in ${cr.to}`}>
      <p className="mb-4 text-sm text-slate-500">
        {resolved
          ? `The resolved configuration of each service in ${cr.to}, compared with what it resolves to now. Secret values are masked.`
          : `The change to each service's ${cr.to} overlay, from the revision the request was made against.`}
      </p>
      <div className="space-y-6">
        {cr.items.map((item) => (
          <section key={item.service} aria-label={`Changes to ${item.service}`}>
            <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
              <h3 className="font-mono text-sm font-semibold">
                <Link href={`/services/${encodeURIComponent(item.service)}?env=${encodeURIComponent(cr.to)}`} className="text-indigo-700 hover:underline">{item.service}</Link>
              </h3>
              <p className="text-xs text-slate-500">
                {cr.from && item.sourceRevision ? `from ${cr.from} r${item.sourceRevision} · ` : ""}
                {item.appliedRevision ? `${cr.to} overlay r${item.baseRevision ?? 0} → r${item.appliedRevision}` : `onto ${cr.to} overlay r${item.baseRevision ?? 0}`}
              </p>
            </div>
            {item.changes.length === 0 ? (
              <p className="rounded-md border border-dashed border-slate-200 px-3 py-2 text-sm text-slate-500">
                {resolved ? "The resolved configuration does not change (or the proposal does not resolve: see the checks)." : "No change."}
              </p>
            ) : (
              <DiffTable changes={item.changes} />
            )}
          </section>
        ))}
      </div>
    </Card>
  );
}

function DiffTable({ changes }: { changes: Change[] }) {
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200">
      <table className="w-full text-left text-sm" data-testid="cr-diff">
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="w-8 px-2 py-1.5"><span className="sr-only">Kind</span></th>
            <th scope="col" className="px-2 py-1.5 font-medium">Path</th>
            <th scope="col" className="px-2 py-1.5 font-medium">Before</th>
            <th scope="col" className="px-2 py-1.5 font-medium">After</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 font-mono text-xs">
          {changes.map((c) => (
            <tr key={c.path} className={ROW[c.kind].row}>
              <td className="px-2 py-1.5 text-center font-semibold text-slate-600" title={ROW[c.kind].word}>
                <span aria-hidden>{ROW[c.kind].sign}</span>
                <span className="sr-only">{ROW[c.kind].word}</span>
              </td>
              <td className="px-2 py-1.5 text-slate-800">{c.path}</td>
              <td className="px-2 py-1.5 text-red-800">{c.kind === "added" ? <Absent /> : <del className="decoration-red-300">{show(c.before)}</del>}</td>
              <td className="px-2 py-1.5 text-emerald-800">{c.kind === "removed" ? <Absent /> : <ins className="no-underline">{show(c.after)}</ins>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const Absent = () => <span className="text-slate-400">(absent)</span>;

function show(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}
