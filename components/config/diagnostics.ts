// Kept apart from code-editor.tsx so that callers can build diagnostics without pulling
// CodeMirror into the page's first bundle (only types are imported here).
import type { Diagnostic } from "@codemirror/lint";
import type { EditorView } from "@codemirror/view";
import type { FieldError } from "@/lib/client/config-api";

/** Position in the document of a 1-based line and column from the server, clamped to the text. */
export function diagnosticAt(view: EditorView, line: number | undefined, column: number | undefined, message: string): Diagnostic {
  const doc = view.state.doc;
  const l = doc.line(Math.min(Math.max(line ?? 1, 1), doc.lines));
  const from = Math.min(l.from + Math.max((column ?? 1) - 1, 0), l.to);
  // Underline from the reported column to the end of its line, so the marker is visible.
  const to = from < l.to ? l.to : Math.min(from + 1, doc.length);
  return { from, to, severity: "error", message };
}

/** Server errors that carry a position become inline markers; the others appear in the list only. */
export function toDiagnostics(view: EditorView, errors: readonly FieldError[]): Diagnostic[] {
  return errors
    .filter((e) => e.line !== undefined)
    .map((e) => diagnosticAt(view, e.line, e.column, e.path ? `${e.path}: ${e.message}` : e.message));
}
