"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { configKeys, fetchCompare, type EnvironmentItem } from "@/lib/client/config-api";
import { DiffTable } from "./diff-view";

const select = "mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

/** The resolved diff of this service between two environments (secrets masked by the server). */
export function ComparePanel({ service, environments, env }: { service: string; environments: EnvironmentItem[]; env: string }) {
  const names = environments.map((e) => e.name);
  // Start with the current environment against the next one in the pipeline: what a promotion would change.
  const i = Math.max(names.indexOf(env), 0);
  const [from, setFrom] = useState(names[i === names.length - 1 ? Math.max(i - 1, 0) : i] ?? env);
  const [to, setTo] = useState(names[i === names.length - 1 ? i : i + 1] ?? env);
  const same = from === to;
  const compare = useQuery({
    queryKey: configKeys.compare(service, from, to),
    queryFn: () => fetchCompare(service, from, to),
    enabled: !same,
  });

  return (
    <section aria-labelledby="compare-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="compare-title" className="text-sm font-semibold text-slate-800">Compare environments</h2>
      <p className="mt-0.5 text-xs text-slate-500">The resolved config of {service} in one environment against another, path by path.</p>
      <form className="mt-3 flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label htmlFor="cmp-from" className="block text-xs font-medium text-slate-700">From</label>
          <select id="cmp-from" className={select} value={from} onChange={(e) => setFrom(e.target.value)}>
            {names.map((n) => <option key={n}>{n}</option>)}
          </select>
        </div>
        <span aria-hidden className="pb-2 text-slate-400">→</span>
        <div>
          <label htmlFor="cmp-to" className="block text-xs font-medium text-slate-700">To</label>
          <select id="cmp-to" className={select} value={to} onChange={(e) => setTo(e.target.value)}>
            {names.map((n) => <option key={n}>{n}</option>)}
          </select>
        </div>
        <button
          type="button"
          className="mb-0.5 rounded-md px-2 py-1.5 text-sm text-indigo-700 hover:bg-indigo-50"
          onClick={() => {
            setFrom(to);
            setTo(from);
          }}
        >
          Swap
        </button>
      </form>
      <div className="mt-4">
        {same ? (
          <p className="text-sm text-slate-500">Pick two different environments.</p>
        ) : compare.isPending ? (
          <p role="status" className="py-6 text-center text-sm text-slate-500">Comparing {from} with {to}…</p>
        ) : compare.isError ? (
          <div role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
            Could not compare: {compare.error.message}{" "}
            <button className="font-medium underline" onClick={() => void compare.refetch()}>Try again</button>
          </div>
        ) : (
          <DiffTable changes={compare.data.changes} fromLabel={from} toLabel={to} empty={`${service} resolves to the same config in ${from} and ${to}.`} />
        )}
      </div>
    </section>
  );
}
