"use client";

import Link from "next/link";
import { Fragment, useState } from "react";
import type { AuditEventView } from "@/lib/server/audit/list-audit-events";
import { AuditDiff } from "./audit-diff";

/**
 * Audit events, newest first. On the audit page each row opens its before/after diff; the overview
 * shows the compact form without it.
 */
export function AuditTable({ events, compact = false }: { events: AuditEventView[]; compact?: boolean }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const columns = compact ? 4 : 7;

  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="audit-table">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">When</th>
            <th scope="col" className="py-2 pr-4 font-medium">Actor</th>
            <th scope="col" className="py-2 pr-4 font-medium">Action</th>
            <th scope="col" className="py-2 pr-4 font-medium">Target</th>
            {compact ? null : <th scope="col" className="py-2 pr-4 font-medium">Environment</th>}
            {compact ? null : <th scope="col" className="py-2 pr-4 font-medium">#</th>}
            {compact ? null : <th scope="col" className="py-2 font-medium"><span className="sr-only">Details</span></th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {events.map((e) => {
            const expanded = open.has(e.id);
            return (
              <Fragment key={e.id}>
                <tr className={`align-top ${expanded ? "bg-slate-50" : ""}`} data-testid={`audit-row-${e.seq}`}>
                  <td className="py-2 pr-4 whitespace-nowrap text-slate-600">
                    <time dateTime={e.occurredAt}>{formatTime(e.occurredAt)}</time>
                  </td>
                  <td className="py-2 pr-4">
                    <Link className="text-indigo-700 hover:underline" href={`/audit?actor=${encodeURIComponent(e.actorId)}`}>
                      {e.actorName}
                    </Link>
                    <span className="ml-1 text-xs text-slate-400">{e.actorKind}</span>
                  </td>
                  <td className="py-2 pr-4 font-mono text-xs">
                    <Link className="hover:underline" href={`/audit?action=${encodeURIComponent(e.action)}`}>{e.action}</Link>
                  </td>
                  <td className="py-2 pr-4 text-slate-700">
                    {e.targetType}{" "}
                    {e.service ? (
                      <Link className="font-mono text-xs text-slate-500 hover:underline" href={`/audit?service=${encodeURIComponent(e.service)}`}>{e.service}</Link>
                    ) : (
                      <span className="font-mono text-xs text-slate-500">{e.targetId}</span>
                    )}
                  </td>
                  {compact ? null : (
                    <td className="py-2 pr-4 text-slate-600">
                      {e.environment ? (
                        <Link className="hover:underline" href={`/audit?env=${encodeURIComponent(e.environment)}`}>{e.environment}</Link>
                      ) : (
                        <span className="text-slate-400" title="Not specific to one environment">all</span>
                      )}
                    </td>
                  )}
                  {compact ? null : <td className="py-2 pr-4 font-mono text-xs text-slate-400">{e.seq}</td>}
                  {compact ? null : (
                    <td className="py-2 text-right">
                      <button
                        type="button"
                        onClick={() => toggle(e.id)}
                        aria-expanded={expanded}
                        aria-controls={`audit-detail-${e.seq}`}
                        className="rounded px-2 py-0.5 text-xs font-medium text-indigo-700 hover:bg-indigo-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
                      >
                        {expanded ? "Hide changes" : "Show changes"}
                      </button>
                    </td>
                  )}
                </tr>
                {expanded ? (
                  <tr id={`audit-detail-${e.seq}`} className="bg-slate-50">
                    <td colSpan={columns} className="px-3 pb-4 pt-1">
                      <AuditDiff event={e} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function formatTime(iso: string): string {
  return new Date(iso).toISOString().replace("T", " ").slice(0, 19) + " UTC";
}
