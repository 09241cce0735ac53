"use client";

import type { FieldError } from "@/lib/client/config-api";

/** The errors of a document, under the editor: each says where (line, path) and what is wrong. */
export function ErrorList({ errors, title, onPick }: { errors: readonly FieldError[]; title: string; onPick?: (e: FieldError) => void }) {
  if (errors.length === 0) return null;
  return (
    <div role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 p-3" data-testid="editor-errors">
      <p className="text-sm font-semibold text-red-800">{title}</p>
      <ul className="mt-1 space-y-1 text-sm text-red-800">
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
