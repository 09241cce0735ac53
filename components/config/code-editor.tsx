"use client";

import { json } from "@codemirror/lang-json";
import { yaml } from "@codemirror/lang-yaml";
import { lintGutter, linter, type Diagnostic } from "@codemirror/lint";
import CodeMirror, { EditorView, type Extension } from "@uiw/react-codemirror";
import { useMemo } from "react";

export type { Diagnostic };
export type EditorLanguage = "yaml" | "json" | "env";

export interface CodeEditorProps {
  value: string;
  language: EditorLanguage;
  label: string;
  readOnly?: boolean;
  onChange?: (value: string) => void;
  /** Diagnostics for the current text; called by CodeMirror after typing pauses. Keep it stable. */
  lint?: (view: EditorView) => Promise<readonly Diagnostic[]> | readonly Diagnostic[];
  onView?: (view: EditorView) => void;
  minHeight?: string;
  maxHeight?: string;
}

/** CodeMirror 6 with YAML/JSON modes and lint markers; loaded only in the browser (see code-editor-lazy). */
export default function CodeEditor({ value, language, label, readOnly, onChange, lint, onView, minHeight = "12rem", maxHeight = "36rem" }: CodeEditorProps) {
  const extensions = useMemo(() => {
    const ext: Extension[] = [
      EditorView.contentAttributes.of({ "aria-label": label }),
      EditorView.lineWrapping,
    ];
    if (language === "yaml") ext.push(yaml());
    if (language === "json") ext.push(json());
    if (lint) ext.push(lintGutter(), linter(lint, { delay: 400 }));
    return ext;
  }, [language, label, lint]);

  return (
    <div className="overflow-hidden rounded-md border border-slate-300 text-sm" data-testid="code-editor">
      <CodeMirror
        value={value}
        onChange={onChange}
        extensions={extensions}
        readOnly={readOnly}
        editable={!readOnly}
        minHeight={minHeight}
        maxHeight={maxHeight}
        basicSetup={{ foldGutter: !readOnly, highlightActiveLine: !readOnly, highlightActiveLineGutter: !readOnly }}
        onCreateEditor={onView}
      />
    </div>
  );
}
