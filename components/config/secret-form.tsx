"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { ApiError, api } from "@/lib/client/fetcher";
import { configKeys, secretsPath } from "@/lib/client/config-api";

const input = "mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

/** Adds a secret, or stores a new version of an existing one (rotation): the value is write-only here. */
/** Keyed by the secret being rotated, so that choosing "Rotate" starts a fresh form for that name. */
export function SecretForm({ service, env, rotating, existing, onSaved }: { service: string; env: string; rotating: string | null; existing: string[]; onSaved: (notice: string) => void }) {
  const qc = useQueryClient();
  const [name, setName] = useState(rotating ?? "");
  const [value, setValue] = useState("");

  const set = useMutation({
    mutationFn: () => api<{ name: string; version: number }>(secretsPath(service, env), { method: "POST", json: { name, value } }),
    onSuccess: (r) => {
      setValue("");
      setName("");
      onSaved(r.version === 1 ? `${r.name} added.` : `${r.name} rotated: now at version ${r.version}.`);
      void qc.invalidateQueries({ queryKey: configKeys.all() });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set.mutate();
  };
  const rotates = existing.includes(name);
  const fieldErrors = set.error instanceof ApiError ? set.error.problem.errors ?? [] : [];

  return (
    <form onSubmit={submit} aria-labelledby="secret-form-title" className="grid gap-3 border-t border-slate-100 px-4 py-4 sm:grid-cols-[1fr_2fr_auto]">
      <h3 id="secret-form-title" className="text-xs font-semibold uppercase tracking-wide text-slate-500 sm:col-span-3">Add or rotate a secret</h3>
      <div>
        <label htmlFor="secret-name" className="text-xs font-medium text-slate-700">Name</label>
        <input
          id="secret-name"
          required
          pattern="[a-z0-9][a-z0-9\-]{0,62}"
          title="lowercase letters, digits and -, starting with a letter or digit"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="db-password"
          autoComplete="off"
          className={`${input} font-mono`}
        />
      </div>
      <div>
        <label htmlFor="secret-value" className="text-xs font-medium text-slate-700">{rotates ? "New value" : "Value"}</label>
        <input id="secret-value" autoFocus={rotating !== null} required type="password" autoComplete="new-password" value={value} onChange={(e) => setValue(e.target.value)} className={`${input} font-mono`} />
      </div>
      <div className="flex items-end">
        <Button type="submit" disabled={set.isPending}>{set.isPending ? "Saving…" : rotates ? "Rotate secret" : "Add secret"}</Button>
      </div>
      <p className="text-xs text-slate-500 sm:col-span-3">
        Encrypted at rest; refer to it in a layer as <code className="font-mono">{"${secret:"}{name || "name"}{"}"}</code>. {rotates ? "Rotating keeps the name and stores a new version." : ""}
      </p>
      {set.error ? (
        <div role="alert" className="text-sm text-red-700 sm:col-span-3">
          {set.error.message}
          {fieldErrors.length > 0 ? <ul className="list-disc pl-5">{fieldErrors.map((e) => <li key={e.path}>{e.path}: {e.message}</li>)}</ul> : null}
        </div>
      ) : null}
    </form>
  );
}
