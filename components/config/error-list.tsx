"use client";

import type { FieldError } from "@/lib/client/config-api";

/** The errors of a document, under the editor: each says where (line, path) and what is wrong. */
export function ErrorList({
  errors,
  title,
  onPick,
  tone = "error",
}: {
  errors: readonly FieldError[];
  title: string;
  onPick?: (e: FieldError) => void;
  tone?: "error" | "warning";
}) {
  if (errors.length === 0) return null;
  const colors = tone === "error" ? "border-red-200 bg-red-50 text-red-800" : "border-amber-200 bg-amber-50 text-amber-900";
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`mt-3 rounded-md border p-3 ${colors}`} data-testid={tone === "error" ? "editor-errors" : "editor-warnings"}>
      <p className="text-sm font-semibold">{title}</p>
      <ul className="mt-1 space-y-1 text-sm">
        {errors.map((e, i) => {
          const where = [e.line !== undefined ? `Line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ""}` : null, e.path || null]
            .filter(Boolean)
            .join(" · ");
          const text = (
            <>
              {where ? <span className="font-mono text-xs">{where}</span> : null}
              {where ? " — " : null}
              {e.message}
            </>
          );
          return (
            <li key={`${e.path}-${e.line ?? ""}-${i}`}>
              {onPick && e.line !== undefined ? (
                <button type="button" className="text-left hover:underline" onClick={() => onPick(e)}>{text}</button>
              ) : (
                text
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
