"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { configKeys, fetchCompare, type CompareResponse, type EnvironmentItem } from "@/lib/client/config-api";
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
          <>
            <DiffTable changes={compare.data.changes} fromLabel={from} toLabel={to} empty={`${service} resolves to the same config in ${from} and ${to}.`} />
            <CauseSummary changes={compare.data.changes} />
            <RunningDiff data={compare.data} service={service} from={from} to={to} />
          </>
        )}
      </div>
    </section>
  );
}

const CAUSE_LABEL = { overlay: "environment overlay", variable: "environment variable", secret: "secret", template: "template naming the environment" } as const;

/** Every difference of the desired configs is there by design; this says where each comes from. */
function CauseSummary({ changes }: { changes: CompareResponse["changes"] }) {
  if (changes.length === 0) return null;
  const counts = new Map<string, number>();
  for (const c of changes) counts.set(c.cause, (counts.get(c.cause) ?? 0) + 1);
  return (
    <p className="mt-2 text-xs text-slate-500" data-testid="compare-causes">
      By design: {[...counts].map(([cause, n]) => `${n} from the ${CAUSE_LABEL[cause as keyof typeof CAUSE_LABEL]}`).join(", ")}.
    </p>
  );
}

/** What the two environments really run: differences the SSOT explains, apart from the ones it does not (drift). */
function RunningDiff({ data, service, from, to }: { data: CompareResponse; service: string; from: string; to: string }) {
  const o = data.observed;
  if (!o) return null;
  const missing = Object.entries(o.reported).filter(([, r]) => !r).map(([e]) => e);
  const unexpected = o.changes.filter((c) => !c.expected);
  const expected = o.changes.filter((c) => c.expected);
  return (
    <div className="mt-6 border-t border-slate-100 pt-4" data-testid="compare-running">
      <h3 className="text-sm font-semibold text-slate-800">What {service} runs in {from} and {to}</h3>
      {missing.length > 0 ? (
        <p className="mt-1 text-sm text-slate-500">No report from {missing.join(" or ")} yet: the running configs cannot be compared.</p>
      ) : (
        <>
          <p className="mt-1 text-xs text-slate-500">From the services&apos; own reports. A difference is expected when both environments run what the SSOT says at that path.</p>
          <h4 className="mt-3 text-xs font-semibold uppercase tracking-wide text-red-700">Not explained by the SSOT ({unexpected.length})</h4>
          <DiffTable changes={unexpected} fromLabel={`${from} (running)`} toLabel={`${to} (running)`} empty="None: every difference between the running configs is one the SSOT intends." />
          <h4 className="mt-3 text-xs font-semibold uppercase tracking-wide text-slate-600">Expected by design ({expected.length})</h4>
          <DiffTable changes={expected} fromLabel={`${from} (running)`} toLabel={`${to} (running)`} empty="None." />
        </>
      )}
    </div>
  );
}
