"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { api } from "@/lib/client/fetcher";
import { configKeys, fetchSecrets, formatTime, secretsPath, type SecretItem } from "@/lib/client/config-api";
import { SecretForm } from "./secret-form";

const REVEAL_MS = 60_000;

type Pending = { kind: "reveal" | "delete"; secret: SecretItem };

/** Secrets of a service in one environment: names and versions; values only on an audited reveal. */
export function SecretsPanel({ service, env, canRead, canWrite }: { service: string; env: string; canRead: boolean; canWrite: boolean }) {
  const qc = useQueryClient();
  const secrets = useQuery({ queryKey: configKeys.secrets(service, env), queryFn: () => fetchSecrets(service, env) });
  const [pending, setPending] = useState<Pending | null>(null);
  // Revealed values live only in this component's memory, never in the query cache.
  const [shown, setShown] = useState<Record<string, string>>({});
  const [rotating, setRotating] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const path = (name: string) => `${secretsPath(service, env)}/${encodeURIComponent(name)}`;

  const hide = (name: string) => setShown(({ [name]: _gone, ...rest }) => rest);

  const reveal = useMutation({
    mutationFn: (name: string) => api<{ name: string; value: string }>(`${path(name)}/reveal`, { method: "POST" }),
    onSuccess: (r) => {
      setShown((s) => ({ ...s, [r.name]: r.value }));
      setPending(null);
      // A value left on screen is a value someone else can read over a shoulder: hide it again.
      setTimeout(() => hide(r.name), REVEAL_MS);
    },
  });
  const remove = useMutation({
    mutationFn: (name: string) => api(path(name), { method: "DELETE" }),
    onSuccess: () => {
      setPending(null);
      void qc.invalidateQueries({ queryKey: configKeys.all() });
    },
  });
  const cancel = () => {
    setPending(null);
    reveal.reset();
    remove.reset();
  };

  return (
    <section aria-labelledby="secrets-title" className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <header className="border-b border-slate-100 px-4 py-3">
        <h2 id="secrets-title" className="text-sm font-semibold text-slate-800">Secrets of {service} in {env}</h2>
        <p className="mt-0.5 text-xs text-slate-500">
          Values are encrypted and never listed. {canRead ? "Revealing one is recorded in the audit trail." : "Revealing values needs the secrets:read permission."}
        </p>
      </header>
      {secrets.isPending ? (
        <p role="status" className="py-10 text-center text-sm text-slate-500">Loading secrets…</p>
      ) : secrets.isError ? (
        <div role="alert" className="m-4 rounded-md bg-red-50 p-3 text-sm text-red-800">
          Could not load the secrets: {secrets.error.message}{" "}
          <button className="font-medium underline" onClick={() => void secrets.refetch()}>Try again</button>
        </div>
      ) : secrets.data.length === 0 ? (
        <p className="px-4 py-10 text-center text-sm text-slate-500">No secrets in {env} yet.{canWrite ? " Add one below." : ""}</p>
      ) : (
        <table className="w-full text-left text-sm" data-testid="secrets-table">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">Name</th>
              <th scope="col" className="py-2 pr-4 font-medium">Value</th>
              <th scope="col" className="py-2 pr-4 font-medium">Version</th>
              <th scope="col" className="py-2 pr-4 font-medium">Set by</th>
              <th scope="col" className="py-2 pr-4 font-medium">When</th>
              <th scope="col" className="py-2 pr-4 font-medium"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {secrets.data.map((s) => (
              <tr key={s.name}>
                <td className="px-4 py-2 font-mono text-xs font-medium">{s.name}</td>
                <td className="py-2 pr-4 font-mono text-xs">
                  {shown[s.name] !== undefined ? (
                    <code className="break-all rounded bg-amber-50 px-1.5 py-0.5 text-slate-900 ring-1 ring-amber-200" data-testid="revealed-value">{shown[s.name]}</code>
                  ) : (
                    <span className="text-slate-400">••••••••</span>
                  )}
                </td>
                <td className="py-2 pr-4">v{s.version}</td>
                <td className="py-2 pr-4 text-slate-600">{s.createdBy}</td>
                <td className="whitespace-nowrap py-2 pr-4 text-slate-600">{formatTime(s.createdAt)}</td>
                <td className="py-2 pr-4">
                  <div className="flex justify-end gap-2">
                    {canRead ? (
                      shown[s.name] !== undefined ? (
                        <Button variant="secondary" onClick={() => hide(s.name)}>Hide</Button>
                      ) : (
                        <Button variant="secondary" onClick={() => setPending({ kind: "reveal", secret: s })}>Reveal</Button>
                      )
                    ) : null}
                    {canWrite ? (
                      <>
                        <Button variant="secondary" onClick={() => setRotating(s.name)}>Rotate</Button>
                        <Button variant="ghost" className="text-red-700 hover:bg-red-50" onClick={() => setPending({ kind: "delete", secret: s })}>Delete</Button>
                      </>
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {notice ? <p role="status" className="border-t border-slate-100 px-4 py-2 text-sm text-emerald-700">{notice}</p> : null}
      {canWrite ? (
        <SecretForm
          key={rotating ?? "new"}
          service={service}
          env={env}
          rotating={rotating}
          existing={secrets.data?.map((s) => s.name) ?? []}
          onSaved={(n) => {
            setNotice(n);
            setRotating(null);
          }}
        />
      ) : null}

      {pending?.kind === "reveal" ? (
        <ConfirmDialog
          title={`Reveal ${pending.secret.name}?`}
          confirmLabel="Reveal value"
          pendingLabel="Revealing…"
          pending={reveal.isPending}
          error={reveal.error?.message}
          onConfirm={() => reveal.mutate(pending.secret.name)}
          onCancel={cancel}
        >
          The value of {pending.secret.name} (v{pending.secret.version}) in {env} is shown on this screen for a minute, and the audit trail records that you looked at it.
        </ConfirmDialog>
      ) : null}
      {pending?.kind === "delete" ? (
        <ConfirmDialog
          title={`Delete ${pending.secret.name} from ${env}?`}
          confirmLabel="Delete secret"
          pendingLabel="Deleting…"
          danger
          pending={remove.isPending}
          error={remove.error?.message}
          onConfirm={() => remove.mutate(pending.secret.name)}
          onCancel={cancel}
        >
          Configs of this service in {env} can no longer refer to it; the deletion is refused while one still does. The audit trail keeps a record of it.
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
