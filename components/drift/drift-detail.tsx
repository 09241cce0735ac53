"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { fetchDriftDetail, removeIgnore, STATUS_LABEL, STATUS_TONE, type DriftDetail } from "@/lib/client/drift-api";
import { formatTime } from "@/lib/client/promotions-api";
import { queryKeys } from "@/lib/client/query-keys";
import { DriftActions, IgnoreDialog } from "./drift-actions";

const show = (v: unknown) => (v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));
const KIND_LABEL = { missing: "missing", unexpected: "unexpected", changed: "changed" } as const;

export function DriftDetailView({ service, env }: { service: string; env: string }) {
  const detail = useQuery({ queryKey: queryKeys.driftDetail(service, env), queryFn: () => fetchDriftDetail(service, env), refetchInterval: 5000 });
  const [ignoring, setIgnoring] = useState<string | null>(null);
  if (detail.isPending) return <p role="status" className="text-sm text-slate-500">Loading…</p>;
  if (detail.isError) {
    return (
      <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
        The drift of {service} in {env} could not be loaded: {detail.error.message}
      </p>
    );
  }
  const d = detail.data;
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
        <span data-testid="drift-status"><Badge tone={STATUS_TONE[d.status]}>{STATUS_LABEL[d.status]}</Badge></span>
        {d.since && d.status !== "unknown" ? <span>since {formatTime(d.since)}</span> : null}
        {d.awaitingUntil ? <span>· counts as drifted after {formatTime(d.awaitingUntil)} unless the new config is reported</span> : null}
        {d.acknowledged ? <span>· acknowledged by {d.acknowledged.by} at {formatTime(d.acknowledged.at!)}</span> : null}
      </div>
      <Facts d={d} />
      <DriftActions d={d} onIgnore={(p) => setIgnoring(p)} />
      <Card title={`Paths that differ (${d.driftCount})`}>
        {d.status === "unknown" ? (
          <EmptyState title="No report yet">
            {d.service} has never reported its config in {d.env}. Run the agent beside it: <code className="text-xs">npm run nexus -- agent --file config.yaml --service {d.service} --env {d.env} --url … --token …</code>
          </EmptyState>
        ) : d.paths.length === 0 ? (
          <p className="text-sm text-slate-500">The observed config matches the desired one{d.ignoreRules.length ? " (apart from ignored paths)" : ""}.</p>
        ) : (
          <PathsTable d={d} onIgnore={(p) => setIgnoring(p)} />
        )}
      </Card>
      <div className="grid gap-5 lg:grid-cols-2">
        <Timeline d={d} />
        <IgnoreRules d={d} />
      </div>
      {ignoring !== null ? <IgnoreDialog d={d} initial={ignoring} onClose={() => setIgnoring(null)} /> : null}
    </div>
  );
}

function Facts({ d }: { d: DriftDetail }) {
  const revs = d.desiredRevisions;
  return (
    <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2 lg:grid-cols-4">
      <div><dt className="text-xs text-slate-500">Last report</dt><dd>{d.observed ? `${formatTime(d.observed.reportedAt!)} by ${d.observed.reportedBy} (${d.observed.source})` : "never"}</dd></div>
      <div><dt className="text-xs text-slate-500">Observed config last changed</dt><dd>{d.observed ? formatTime(d.observed.changedAt!) : "—"}</dd></div>
      <div>
        <dt className="text-xs text-slate-500">Desired from</dt>
        <dd>{revs ? ["shared", "base", "overlay"].map((k) => `${k} ${revs[k] ? `r${revs[k]!.number}` : "—"}`).join(" · ") : "—"}</dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">Stale after · rollout deadline</dt>
        <dd>{Math.round(d.settings.staleAfterSeconds / 60)} min · {Math.round(d.settings.rolloutDeadlineSeconds / 60)} min{d.settings.autoRemediate ? " · auto re-apply on" : ""}</dd>
      </div>
      <div className="sm:col-span-2"><dt className="text-xs text-slate-500">Pull URL</dt><dd className="truncate">{d.target.pullUrl ?? "none (the service pushes)"}{d.target.lastPullError ? <span className="text-red-700"> · last pull failed: {d.target.lastPullError}</span> : null}</dd></div>
      <div><dt className="text-xs text-slate-500">Deploy hook</dt><dd>{d.target.deployHookConfigured ? "configured" : "none"}</dd></div>
    </dl>
  );
}

function PathsTable({ d, onIgnore }: { d: DriftDetail; onIgnore: (p: string) => void }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="drift-paths">
        <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-3 font-medium">Path</th>
            <th scope="col" className="py-2 pr-3 font-medium">Kind</th>
            <th scope="col" className="py-2 pr-3 font-medium">Expected (SSOT)</th>
            <th scope="col" className="py-2 pr-3 font-medium">Observed (running)</th>
            {d.actions.ignore ? <th scope="col" className="py-2 font-medium"><span className="sr-only">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {d.paths.map((p) => (
            <tr key={p.path}>
              <td className="py-2 pr-3 font-mono text-xs text-slate-800">{p.path}</td>
              <td className="py-2 pr-3"><Badge tone={p.kind === "changed" ? "warn" : "bad"}>{KIND_LABEL[p.kind]}</Badge></td>
              {p.secret ? (
                <td colSpan={2} className="py-2 pr-3 text-slate-500">secret — {p.kind === "changed" ? "the running value differs" : p.kind === "missing" ? "not reported" : "reported but not in the SSOT"} (values are never shown)</td>
              ) : (
                <>
                  <td className="max-w-xs break-all py-2 pr-3 font-mono text-xs text-emerald-800">{p.kind === "unexpected" ? <span className="text-slate-400">—</span> : show(p.expected)}</td>
                  <td className="max-w-xs break-all py-2 pr-3 font-mono text-xs text-red-800">{p.kind === "missing" ? <span className="text-slate-400">—</span> : show(p.observed)}</td>
                </>
              )}
              {d.actions.ignore ? (
                <td className="py-1.5 text-right">
                  <button className="rounded px-2 py-1 text-xs text-indigo-700 hover:bg-indigo-50" onClick={() => onIgnore(p.path)} aria-label={`Ignore ${p.path}`}>Ignore</button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {d.driftCount > d.paths.length ? <p className="mt-2 text-xs text-slate-500">The first {d.paths.length} of {d.driftCount} paths.</p> : null}
    </div>
  );
}

function Timeline({ d }: { d: DriftDetail }) {
  type Item = { at: string; key: string; text: React.ReactNode; tone: "bad" | "good" | "info" };
  const items: Item[] = [];
  for (const e of d.episodes) {
    items.push({ at: e.beganAt!, key: `b${e.id}`, tone: "bad", text: <>Drift began: {e.count} path{e.count === 1 ? "" : "s"} ({e.paths.slice(0, 4).map((p) => p.path).join(", ")}{e.paths.length > 4 ? " …" : ""})</> });
    if (e.endedAt) items.push({ at: e.endedAt, key: `e${e.id}`, tone: "good", text: <>Drift ended: {e.endedAs ? STATUS_LABEL[e.endedAs as keyof typeof STATUS_LABEL] ?? e.endedAs : ""}</> });
  }
  for (const r of d.remediations) {
    items.push({
      at: r.at!,
      key: r.id,
      tone: "info",
      text: (
        <>
          {r.actor}: {r.kind.replace("_", " ")} — {r.outcome}
          {r.detail ? <span className="text-slate-500"> · {r.detail}</span> : null}
          {r.changeRequestId ? <> · <Link className="text-indigo-700 hover:underline" href={`/promotions/${r.changeRequestId}`}>change request</Link></> : null}
        </>
      ),
    });
  }
  items.sort((a, b) => b.at.localeCompare(a.at));
  const dot = { bad: "bg-red-500", good: "bg-emerald-500", info: "bg-indigo-500" };
  return (
    <Card title="History">
      {items.length === 0 ? (
        <p className="text-sm text-slate-500">No drift and no remediation yet.</p>
      ) : (
        <ol className="space-y-2 text-sm" data-testid="drift-history">
          {items.map((i) => (
            <li key={i.key} className="flex gap-2">
              <span aria-hidden className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${dot[i.tone]}`} />
              <span><span className="text-xs text-slate-500">{formatTime(i.at)}</span> · {i.text}</span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

function IgnoreRules({ d }: { d: DriftDetail }) {
  const qc = useQueryClient();
  const [removing, setRemoving] = useState<DriftDetail["ignoreRules"][number] | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => removeIgnore(d.service, d.env, id),
    onSuccess: () => {
      setRemoving(null);
      void qc.invalidateQueries({ queryKey: queryKeys.drift() });
    },
  });
  return (
    <Card title="Ignored paths">
      {d.ignoreRules.length === 0 ? (
        <p className="text-sm text-slate-500">Nothing is ignored: every path counts.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {d.ignoreRules.map((r) => (
            <li key={r.id} className="flex items-center justify-between gap-2 py-1.5">
              <span>
                <code className="text-xs">{r.pattern}</code>
                <span className="text-xs text-slate-500"> · {r.allEnvironments ? "all environments" : d.env} · by {r.createdBy}{r.reason ? ` · ${r.reason}` : ""}</span>
              </span>
              {d.actions.ignore ? <button className="rounded px-2 py-1 text-xs text-red-700 hover:bg-red-50" onClick={() => setRemoving(r)}>Remove</button> : null}
            </li>
          ))}
        </ul>
      )}
      {removing ? (
        <ConfirmDialog
          title={`Stop ignoring ${removing.pattern}?`}
          confirmLabel="Remove the rule"
          danger
          pending={remove.isPending}
          error={remove.error?.message ?? null}
          onCancel={() => setRemoving(null)}
          onConfirm={() => remove.mutate(removing.id)}
        >
          Differences at this path count as drift again.
        </ConfirmDialog>
      ) : null}
    </Card>
  );
}
