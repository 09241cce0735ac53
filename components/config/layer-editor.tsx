"use client";

import type { EditorView } from "@codemirror/view";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ApiError, api } from "@/lib/client/fetcher";
import { configKeys, fetchLayer, layerPath, layerTitle, type FieldError, type LayerRef, type LayerView, type RevisionView } from "@/lib/client/config-api";
import { CodeEditor } from "./code-editor-lazy";
import { ConflictPanel, KeptText } from "./conflict-panel";
import { ErrorList } from "./error-list";
import { ProtectedNote } from "./protected-note";
import { SaveDialog } from "./save-dialog";
import { useLayerValidation } from "./use-layer-validation";

type Conflict = { head: RevisionView; baseNumber: number };

/** Edits one layer: inline validation, save with a message, and a way out of a conflicting save. */
export function LayerEditor({ layer, initial, protectedEnv, onDone }: { layer: LayerRef; initial: LayerView; protectedEnv: string | null; onDone: () => void }) {
  const qc = useQueryClient();
  const [text, setText] = useState(initial.source);
  const [base, setBase] = useState<RevisionView | null>(initial.head);
  // The text of `base`: what "unsaved changes" are measured against.
  const [baseSource, setBaseSource] = useState(initial.source);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [kept, setKept] = useState<string | null>(null);
  const [savedAs, setSavedAs] = useState<number | null>(null);
  const [reloading, setReloading] = useState(false);
  const view = useRef<EditorView | null>(null);
  const format = initial.format;
  const { lint, errors, warnings, protectedChanges, failure } = useLayerValidation(layer, format);
  const blockedBy = protectedEnv ?? (protectedChanges.length > 0 ? protectedChanges.join(", ") : null);

  const save = useMutation({
    mutationFn: (message: string) =>
      api<{ revision: RevisionView }>(layerPath(layer), { method: "PUT", json: { content: text, format, message, baseRevision: base?.id ?? null } }),
    onSuccess: ({ revision }) => {
      setBase(revision);
      setBaseSource(text);
      setSavedAs(revision.number);
      setSaving(false);
      qc.setQueryData<LayerView>(configKeys.layer(layer), (old) => (old ? { ...old, source: text, head: revision } : old));
      void qc.invalidateQueries({ queryKey: configKeys.all() });
    },
    onError: (e) => {
      setSaving(false);
      const current = e instanceof ApiError && e.status === 409 ? (e.problem.currentRevision as RevisionView | null | undefined) : undefined;
      if (current) setConflict({ head: current, baseNumber: base?.number ?? 0 });
    },
  });

  async function reloadHead() {
    setReloading(true);
    try {
      const fresh = await fetchLayer(layer);
      setKept(text);
      setText(fresh.source);
      setBase(fresh.head);
      setBaseSource(fresh.source);
      setConflict(null);
      save.reset();
      qc.setQueryData(configKeys.layer(layer), fresh);
    } finally {
      setReloading(false);
    }
  }

  function jumpTo(e: FieldError) {
    const v = view.current;
    if (!v || e.line === undefined) return;
    const line = v.state.doc.line(Math.min(e.line, v.state.doc.lines));
    v.dispatch({ selection: { anchor: Math.min(line.from + (e.column ?? 1) - 1, line.to) }, scrollIntoView: true });
    v.focus();
  }

  const saveError = save.error instanceof ApiError ? save.error : null;
  const rejected = saveError?.status === 422 || saveError?.status === 413 ? (saveError.problem.errors ?? []) as FieldError[] : [];
  const dirty = text !== baseSource;

  return (
    <div>
      <CodeEditor
        value={text}
        onChange={(v) => {
          setText(v);
          setSavedAs(null);
        }}
        language={format}
        label={`${layerTitle(layer)} (${format.toUpperCase()})`}
        lint={lint}
        onView={(v) => {
          view.current = v;
        }}
      />
      <p className="mt-1 text-xs text-slate-500">
        {format.toUpperCase()} · checked against the schema as you type · Esc then Tab leaves the editor
        {failure ? <span className="text-red-700"> · could not validate: {failure}</span> : null}
      </p>
      <ErrorList errors={errors} title={`${errors.length} ${errors.length === 1 ? "problem" : "problems"} in this document`} onPick={jumpTo} />
      <ErrorList tone="warning" errors={warnings} title="Policies this config would fail (a save is allowed; promotions are blocked by error-severity policies)" onPick={jumpTo} />

      {save.error && !conflict ? (
        <div role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          <p className="font-semibold">Not saved: {save.error.message}</p>
          {rejected.length > 0 && errors.length === 0 ? <ErrorList errors={rejected} title="The server refused it because:" onPick={jumpTo} /> : null}
        </div>
      ) : null}
      {conflict ? (
        <ConflictPanel layer={layer} baseNumber={conflict.baseNumber} head={conflict.head} reloading={reloading} onReload={() => void reloadHead()} />
      ) : null}
      {savedAs !== null ? (
        <p role="status" className="mt-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">Saved as r{savedAs}.</p>
      ) : null}

      {blockedBy ? (
        <div className="mt-4 rounded-md bg-amber-50 px-3 py-2 ring-1 ring-inset ring-amber-200">
          <ProtectedNote env={blockedBy} />
        </div>
      ) : null}
      <div className="mt-3 flex flex-wrap items-center gap-3">
        {blockedBy ? (
          <Button disabled title="Change requests arrive with the promotions feature">Propose change</Button>
        ) : (
          <Button onClick={() => setSaving(true)} disabled={!dirty || save.isPending}>Save…</Button>
        )}
        <Button variant="secondary" onClick={onDone}>{dirty ? "Discard changes" : "Close editor"}</Button>
        <span className="text-xs text-slate-500">{base ? `Editing on top of r${base.number}` : "First revision of this layer"}</span>
      </div>
      {kept !== null ? <KeptText text={kept} onDismiss={() => setKept(null)} /> : null}

      {saving ? (
        <SaveDialog
          title={`Save ${layerTitle(layer).toLowerCase()}`}
          description={base ? `A new revision r${base.number + 1} is written on top of r${base.number}.` : "This becomes the layer's first revision."}
          submitLabel="Save revision"
          pending={save.isPending}
          onSave={(m) => save.mutate(m)}
          onCancel={() => setSaving(false)}
        />
      ) : null}
    </div>
  );
}
