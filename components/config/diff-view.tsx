"use client";

import { useMemo } from "react";
import { showValue, type DiffEntry } from "@/lib/client/config-api";
import { sideBySide } from "@/lib/client/line-diff";

const ROW = {
  added: "bg-emerald-50",
  removed: "bg-red-50",
  changed: "bg-amber-50",
} as const;
const MARK = {
  added: "text-emerald-800 bg-emerald-100 ring-emerald-200",
  removed: "text-red-800 bg-red-100 ring-red-200",
  changed: "text-amber-900 bg-amber-100 ring-amber-200",
} as const;

/** Changed paths with their values before and after, side by side; colour and a word both say what happened. */
export function DiffTable({ changes, fromLabel, toLabel, empty = "No differences." }: { changes: readonly DiffEntry[]; fromLabel: string; toLabel: string; empty?: string }) {
  if (changes.length === 0) {
    return <p className="rounded-md border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500">{empty}</p>;
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full table-fixed text-left text-sm" data-testid="diff-table">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="w-1/4 py-2 pr-3 font-medium">Path</th>
            <th scope="col" className="w-24 py-2 pr-3 font-medium">Change</th>
            <th scope="col" className="py-2 pr-3 font-medium">{fromLabel}</th>
            <th scope="col" className="py-2 font-medium">{toLabel}</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.path} className={`${ROW[c.kind]} border-t border-white`} data-kind={c.kind}>
              <td className="break-all py-1.5 pl-2 pr-3 font-mono text-xs">{c.path || "(whole document)"}</td>
              <td className="py-1.5 pr-3">
                <span className={`rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${MARK[c.kind]}`}>{c.kind}</span>
              </td>
              <td className={`break-all py-1.5 pr-3 font-mono text-xs ${c.kind === "added" ? "text-slate-400" : "text-red-800 line-through decoration-red-300"}`}>
                {c.kind === "added" ? "—" : showValue(c.before)}
              </td>
              <td className={`break-all py-1.5 pr-2 font-mono text-xs ${c.kind === "removed" ? "text-slate-400" : "font-semibold text-emerald-900"}`}>
                {c.kind === "removed" ? "—" : showValue(c.after)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const LINE = { same: "", removed: "bg-red-100", added: "bg-emerald-100", changed: "bg-amber-100" } as const;

/** The two sources as written, aligned line by line, with changed lines tinted. */
export function SourceDiff({ from, to, fromLabel, toLabel }: { from: string; to: string; fromLabel: string; toLabel: string }) {
  const rows = useMemo(() => sideBySide(from, to), [from, to]);
  const cell = (side: { n: number; text: string } | null, tint: string, right = false) => (
    <>
      <td className={`w-10 select-none border-r border-slate-200 px-2 text-right text-slate-400 ${right ? "border-l" : ""} ${side ? tint : "bg-slate-50"}`}>{side?.n ?? ""}</td>
      <td className={`whitespace-pre-wrap break-all px-2 ${side ? tint : "bg-slate-50"}`}>{side?.text ?? ""}</td>
    </>
  );
  return (
    <div className="max-h-[32rem] overflow-auto rounded-md border border-slate-200">
      <table className="w-full table-fixed font-mono text-xs leading-5">
        <colgroup><col className="w-10" /><col /><col className="w-10" /><col /></colgroup>
        <thead className="sticky top-0 bg-white text-left text-slate-500">
          <tr>
            <th colSpan={2} scope="col" className="border-b border-slate-200 px-2 py-1 font-sans font-medium">{fromLabel}</th>
            <th colSpan={2} scope="col" className="border-b border-l border-slate-200 px-2 py-1 font-sans font-medium">{toLabel}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, k) => (
            <tr key={k}>
              {cell(r.left, r.kind === "same" ? "" : r.kind === "added" ? "" : LINE[r.kind === "changed" ? "changed" : "removed"])}
              {cell(r.right, r.kind === "same" ? "" : r.kind === "removed" ? "" : LINE[r.kind === "changed" ? "changed" : "added"], true)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
