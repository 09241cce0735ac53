"use client";

import type { EditorView } from "@codemirror/view";
import { useCallback, useState } from "react";
import { api } from "@/lib/client/fetcher";
import { layerPath, type FieldError, type LayerRef, type ValidateResult } from "@/lib/client/config-api";
import { toDiagnostics } from "./diagnostics";

/**
 * Validation as you type: CodeMirror's linter calls `lint` after a 400 ms pause, the validate
 * endpoint answers with errors at lines and columns, and the same errors feed the list below.
 */
export function useLayerValidation(layer: LayerRef, format: "yaml" | "json" | "env") {
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [warnings, setWarnings] = useState<FieldError[]>([]);
  const [protectedChanges, setProtectedChanges] = useState<string[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const path = layerPath(layer);

  const lint = useCallback(
    async (view: EditorView) => {
      const content = view.state.doc.toString();
      try {
        const r = await api<ValidateResult>(`${path}/validate`, { method: "POST", json: { content, format } });
        // Typing went on meanwhile: the linter asks again for the newer text, so drop this answer.
        if (view.state.doc.toString() !== content) return [];
        setErrors(r.errors);
        setWarnings(r.warnings ?? []);
        setProtectedChanges(r.protectedChanges);
        setFailure(null);
        return toDiagnostics(view, r.errors);
      } catch (e) {
        setFailure(e instanceof Error ? e.message : "validation failed");
        return [];
      }
    },
    [path, format],
  );
  return { lint, errors, warnings, protectedChanges, failure };
}
