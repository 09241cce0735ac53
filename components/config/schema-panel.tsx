"use client";

import type { EditorView } from "@codemirror/view";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { Button } from "@/components/ui/button";
import { ApiError, api } from "@/lib/client/fetcher";
import { configKeys, fetchSchema, formatTime, type FieldError, type SchemaView } from "@/lib/client/config-api";
import { CodeEditor } from "./code-editor-lazy";
import { ErrorList } from "./error-list";
import { SaveDialog } from "./save-dialog";

const pretty = (s: SchemaView) => (s.schema ? `${JSON.stringify(s.schema, null, 2)}\n` : "");

/** The service's JSON Schema; administrators edit it as JSON and save it as a new version. */
export function SchemaPanel({ service, canEdit }: { service: string; canEdit: boolean }) {
  const schema = useQuery({ queryKey: configKeys.schema(service), queryFn: () => fetchSchema(service) });
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const qc = useQueryClient();

  // JSON syntax is checked in the browser; whether it is valid JSON Schema is the server's answer on save.
  const lint = useCallback(async (view: EditorView) => {
    const { jsonParseLinter } = await import("@codemirror/lang-json");
    return view.state.doc.length === 0 ? [] : jsonParseLinter()(view);
  }, []);

  const save = useMutation({
    mutationFn: ({ message, version }: { message: string; version: number }) => {
      const text = (draft ?? "").trim();
      return api<SchemaView>(`/api/v1/services/${encodeURIComponent(service)}/schema`, {
        method: "PUT",
        json: { schema: text ? (JSON.parse(text) as unknown) : null, message, baseVersion: version },
      });
    },
    onSuccess: (saved) => {
      setSaving(false);
      setDraft(null);
      qc.setQueryData(configKeys.schema(service), saved);
      void qc.invalidateQueries({ queryKey: configKeys.all() });
    },
    onError: () => setSaving(false),
  });

  if (schema.isPending) return <p role="status" className="py-10 text-center text-sm text-slate-500">Loading the schema…</p>;
  if (schema.isError) {
    return (
      <div role="alert" className="rounded-lg bg-red-50 p-4 text-sm text-red-800">
        Could not load the schema: {schema.error.message}{" "}
        <button className="font-medium underline" onClick={() => void schema.refetch()}>Try again</button>
      </div>
    );
  }
  const s = schema.data;
  let parseError: string | null = null;
  if (draft !== null && draft.trim()) {
    try {
      const v = JSON.parse(draft) as unknown;
      if (typeof v !== "object" || v === null || Array.isArray(v)) parseError = "A JSON Schema here is a JSON object.";
    } catch (e) {
      parseError = (e as Error).message;
    }
  }
  const fieldErrors = save.error instanceof ApiError ? ((save.error.problem.errors ?? []) as FieldError[]) : [];

  return (
    <section aria-labelledby="schema-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <header className="mb-3 flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="schema-title" className="text-sm font-semibold text-slate-800">JSON Schema of {service}</h2>
          <p className="mt-0.5 text-xs text-slate-500">
            {s.version > 0
              ? `Version ${s.version} by ${s.authorName ?? "?"}${s.createdAt ? `, ${formatTime(s.createdAt)}` : ""} — “${s.message ?? ""}”. Every layer and the resolved config of every environment must satisfy it.`
              : "No schema yet: configs of this service are not checked against one."}
          </p>
        </div>
        {canEdit && draft === null ? <Button onClick={() => { save.reset(); setDraft(pretty(s)); }}>Edit schema</Button> : null}
      </header>

      {draft !== null ? (
        <>
          <CodeEditor value={draft} onChange={setDraft} language="json" label="JSON Schema (JSON)" lint={lint} />
          <p className="mt-1 text-xs text-slate-500">JSON Schema draft 2020-12. Saving an empty document removes the schema.</p>
          {parseError ? <p role="alert" className="mt-2 text-sm text-red-700">Not valid JSON yet: {parseError}</p> : null}
          {save.error ? (
            <div role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
              <p className="font-semibold">Not saved: {save.error.message}</p>
              {save.error instanceof ApiError && save.error.status === 409 ? (
                <button className="mt-1 font-medium underline" onClick={() => void schema.refetch()}>Load the newest version (your text stays in the editor)</button>
              ) : null}
            </div>
          ) : null}
          <ErrorList errors={fieldErrors} title="What does not fit:" />
          <div className="mt-4 flex gap-2">
            <Button onClick={() => setSaving(true)} disabled={parseError !== null || draft === pretty(s) || save.isPending}>Save schema…</Button>
            <Button variant="secondary" onClick={() => setDraft(null)}>Cancel</Button>
          </div>
        </>
      ) : s.schema ? (
        <CodeEditor value={pretty(s)} language="json" label="JSON Schema (read only)" readOnly />
      ) : (
        <p className="rounded-md border border-dashed border-slate-300 px-4 py-8 text-center text-sm text-slate-500">
          This service has no schema.{canEdit ? " Edit to add one." : " An administrator can add one."}
        </p>
      )}

      {saving ? (
        <SaveDialog
          title="Save the schema"
          description={`Version ${s.version + 1} is checked against the current config of every environment before it is stored.`}
          submitLabel="Save schema"
          pending={save.isPending}
          onSave={(message) => save.mutate({ message, version: s.version })}
          onCancel={() => setSaving(false)}
        />
      ) : null}
    </section>
  );
}
