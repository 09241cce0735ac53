"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { configKeys, fetchResolved, showValue, type Provenance, type ResolvedRow } from "@/lib/client/config-api";
import { serviceHref } from "./links";

const TONE: Record<Provenance["layer"], Tone> = { shared: "neutral", base: "info", overlay: "good", variable: "warn", secret: "bad" };

/** Every leaf of the resolved config with where its value comes from: layer and revision. */
export function ResolvedPanel({ service, env, canReadSecrets }: { service: string; env: string; canReadSecrets: boolean }) {
  const resolved = useQuery({ queryKey: configKeys.resolved(service, env), queryFn: () => fetchResolved(service, env) });
  const [filter, setFilter] = useState("");
  const rows = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const all = resolved.data?.rows ?? [];
    return f ? all.filter((r) => r.pointer.toLowerCase().includes(f) || showValue(r.value).toLowerCase().includes(f)) : all;
  }, [resolved.data, filter]);

  if (resolved.isPending) return <p role="status" className="py-10 text-center text-sm text-slate-500">Resolving the config of {service} in {env}…</p>;
  if (resolved.isError) {
    const detail = resolved.error.message;
    return (
      <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
        <p className="font-semibold">The resolved config cannot be shown</p>
        <p className="mt-1">{detail}</p>
        <button className="mt-2 font-medium underline" onClick={() => void resolved.refetch()}>Try again</button>
      </div>
    );
  }
  const revs = resolved.data.revisions;
  return (
    <section aria-labelledby="resolved-title" className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <header className="flex flex-wrap items-end justify-between gap-3 border-b border-slate-100 px-4 py-3">
        <div>
          <h2 id="resolved-title" className="text-sm font-semibold text-slate-800">Resolved config in {env}</h2>
          <p className="mt-0.5 text-xs text-slate-500">
            Shared template r{revs.shared?.number ?? "–"} → base r{revs.base?.number ?? "–"} → {env} overlay r{revs.overlay?.number ?? "–"}, then variables and secrets.
          </p>
        </div>
        <div>
          <label htmlFor="resolved-filter" className="sr-only">Filter keys</label>
          <input
            id="resolved-filter"
            type="search"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="Filter keys or values"
            className="w-56 rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
        </div>
      </header>
      {resolved.data.rows.length === 0 ? (
        <p className="px-4 py-10 text-center text-sm text-slate-500">This config is empty: no layer sets any value yet.</p>
      ) : rows.length === 0 ? (
        <p className="px-4 py-10 text-center text-sm text-slate-500">No key or value matches “{filter}”.</p>
      ) : (
        <table className="w-full text-left text-sm" data-testid="resolved-table">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">Key (JSON pointer)</th>
              <th scope="col" className="py-2 pr-4 font-medium">Value</th>
              <th scope="col" className="py-2 pr-4 font-medium">Set by</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((r) => (
              <Row key={r.pointer} row={r} service={service} env={env} canReadSecrets={canReadSecrets} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Row({ row, service, env, canReadSecrets }: { row: ResolvedRow; service: string; env: string; canReadSecrets: boolean }) {
  const p = row.provenance;
  // Variables and secrets are written in a config layer; the revision link goes to that layer.
  const layerOfRevision = p.layer === "variable" || p.layer === "secret" ? p.definedIn : p.layer;
  return (
    <tr className="align-top">
      <td className="break-all px-4 py-1.5 font-mono text-xs text-slate-800">{row.pointer}</td>
      <td className="break-all py-1.5 pr-4 font-mono text-xs">
        {row.secret ? (
          <span className="text-slate-500">
            {showValue(row.value)}
            {canReadSecrets ? (
              <Link className="ml-2 font-sans text-indigo-700 hover:underline" href={serviceHref(service, { env, tab: "secrets" })}>reveal…</Link>
            ) : null}
          </span>
        ) : (
          <span className={typeof row.value === "string" ? "text-slate-900" : "text-indigo-800"}>{showValue(row.value)}</span>
        )}
      </td>
      <td className="whitespace-nowrap py-1.5 pr-4 text-xs">
        <span className="inline-flex items-center gap-1.5" data-testid="provenance">
          <Badge tone={TONE[p.layer]}>{p.layer}{p.via ? ` ${p.via}` : ""}</Badge>
          {p.definedIn ? <span className="text-slate-500">in {p.definedIn}</span> : null}
          {p.revision && layerOfRevision ? (
            <Link
              className="font-medium text-indigo-700 hover:underline"
              href={serviceHref(service, { env, tab: "history", layer: layerOfRevision, rev: p.revision.number })}
              title={`Revision ${p.revision.number} of the ${layerOfRevision} layer`}
            >
              r{p.revision.number}
            </Link>
          ) : null}
        </span>
      </td>
    </tr>
  );
}
