"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { api, ApiError } from "@/lib/client/fetcher";
import { queryKeys } from "@/lib/client/query-keys";
import { ROLES, TOKEN_SCOPES } from "@/lib/auth/permissions";
import type { TokenView } from "@/lib/server/tokens/token-schemas";

const input = "mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

export function TokensPanel({ initial }: { initial: TokenView[] }) {
  const qc = useQueryClient();
  const tokens = useQuery({
    queryKey: queryKeys.tokens(),
    queryFn: async () => (await api<{ items: TokenView[] }>("/api/v1/tokens")).items,
    initialData: initial,
  });
  const [created, setCreated] = useState<{ token: string; metadata: TokenView } | null>(null);
  const [confirming, setConfirming] = useState<TokenView | null>(null);

  const create = useMutation({
    mutationFn: (body: unknown) => api<{ token: string; metadata: TokenView }>("/api/v1/tokens", { method: "POST", json: body }),
    onSuccess: (data) => {
      setCreated(data);
      void qc.invalidateQueries({ queryKey: queryKeys.tokens() });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api<TokenView>(`/api/v1/tokens/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      setConfirming(null);
      void qc.invalidateQueries({ queryKey: queryKeys.tokens() });
    },
  });

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const list = (name: string) => {
      const v = String(f.get(name) ?? "").trim();
      return v ? v.split(",").map((s) => s.trim()).filter(Boolean) : null;
    };
    const days = String(f.get("expires") ?? "");
    create.mutate({
      name: String(f.get("name") ?? ""),
      role: f.get("role"),
      scopes: f.getAll("scopes"),
      services: list("services"),
      environments: list("environments"),
      expiresInDays: days === "never" ? null : Number(days),
    });
  }

  const fieldErrors = create.error instanceof ApiError ? create.error.problem.errors ?? [] : [];

  return (
    <div className="space-y-6">
      {created ? (
        <div role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 p-4">
          <p className="text-sm font-semibold text-emerald-900">Token “{created.metadata.name}” created. Copy it now: it will not be shown again.</p>
          <code data-testid="new-token" className="mt-2 block break-all rounded bg-white px-3 py-2 font-mono text-sm ring-1 ring-emerald-200">
            {created.token}
          </code>
          <div className="mt-2 flex gap-2">
            <Button variant="secondary" onClick={() => void navigator.clipboard?.writeText(created.token)}>Copy</Button>
            <Button variant="ghost" onClick={() => setCreated(null)}>Done</Button>
          </div>
        </div>
      ) : null}

      <form onSubmit={submit} className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Create token">
        <div>
          <label htmlFor="t-name" className="text-xs font-medium text-slate-600">Name</label>
          <input id="t-name" name="name" required maxLength={100} placeholder="ci-deployer" className={input} />
        </div>
        <div>
          <label htmlFor="t-role" className="text-xs font-medium text-slate-600">Role</label>
          <select id="t-role" name="role" defaultValue="viewer" className={input}>
            {ROLES.map((r) => <option key={r}>{r}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="t-exp" className="text-xs font-medium text-slate-600">Expires</label>
          <select id="t-exp" name="expires" defaultValue="90" className={input}>
            <option value="7">in 7 days</option>
            <option value="30">in 30 days</option>
            <option value="90">in 90 days</option>
            <option value="365">in a year</option>
            <option value="never">never</option>
          </select>
        </div>
        <fieldset className="sm:col-span-2 lg:col-span-3">
          <legend className="text-xs font-medium text-slate-600">Scopes</legend>
          <div className="mt-1 flex flex-wrap gap-4">
            {TOKEN_SCOPES.map((s) => (
              <label key={s} className="flex items-center gap-1.5 text-sm">
                <input type="checkbox" name="scopes" value={s} defaultChecked={s === "config:read"} /> {s}
              </label>
            ))}
          </div>
        </fieldset>
        <div>
          <label htmlFor="t-svc" className="text-xs font-medium text-slate-600">Services (comma-separated, empty: all)</label>
          <input id="t-svc" name="services" className={input} placeholder="api-gateway, redis" />
        </div>
        <div>
          <label htmlFor="t-env" className="text-xs font-medium text-slate-600">Environments (empty: all)</label>
          <input id="t-env" name="environments" className={input} placeholder="staging" />
        </div>
        <div className="flex items-end">
          <Button type="submit" disabled={create.isPending}>{create.isPending ? "Creating…" : "Create token"}</Button>
        </div>
        {create.error ? (
          <div role="alert" className="text-sm text-red-700 sm:col-span-2 lg:col-span-3">
            {create.error.message}
            {fieldErrors.length > 0 ? <ul className="list-disc pl-5">{fieldErrors.map((e) => <li key={e.path}>{e.path}: {e.message}</li>)}</ul> : null}
          </div>
        ) : null}
      </form>

      {tokens.data.length === 0 ? (
        <p className="text-sm text-slate-500">No tokens yet. Services and CI jobs authenticate with a token created here.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-2 pr-3 font-medium">Name</th>
              <th className="py-2 pr-3 font-medium">Prefix</th>
              <th className="py-2 pr-3 font-medium">Role · scopes</th>
              <th className="py-2 pr-3 font-medium">Limited to</th>
              <th className="py-2 pr-3 font-medium">Expires</th>
              <th className="py-2 pr-3 font-medium">Last used</th>
              <th className="py-2 font-medium"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {tokens.data.map((t) => (
              <tr key={t.id}>
                <td className="py-2 pr-3 font-medium">{t.name}</td>
                <td className="py-2 pr-3 font-mono text-xs">{t.prefix}</td>
                <td className="py-2 pr-3">{t.role} · <span className="text-slate-500">{t.scopes.join(", ")}</span></td>
                <td className="py-2 pr-3 text-slate-600">{[t.services?.join(", "), t.environments?.join(", ")].filter(Boolean).join(" / ") || "everything"}</td>
                <td className="py-2 pr-3 text-slate-600">{t.expiresAt ? t.expiresAt.slice(0, 10) : "never"}</td>
                <td className="py-2 pr-3 text-slate-600">{t.lastUsedAt ? t.lastUsedAt.replace("T", " ").slice(0, 16) : "never"}</td>
                <td className="py-2 text-right">
                  {t.status === "active" ? (
                    <Button variant="secondary" onClick={() => setConfirming(t)}>Revoke</Button>
                  ) : (
                    <Badge tone={t.status === "revoked" ? "bad" : "warn"}>{t.status}</Badge>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {confirming ? (
        <div role="alertdialog" aria-modal="true" aria-labelledby="revoke-title" className="fixed inset-0 z-10 flex items-center justify-center bg-slate-900/40 p-4">
          <div className="w-full max-w-md rounded-lg bg-white p-5 shadow-xl">
            <h2 id="revoke-title" className="font-semibold">Revoke “{confirming.name}”?</h2>
            <p className="mt-2 text-sm text-slate-600">Anything using this token is refused from now on. This cannot be undone.</p>
            {revoke.error ? <p role="alert" className="mt-2 text-sm text-red-700">{revoke.error.message}</p> : null}
            <div className="mt-4 flex justify-end gap-2">
              <Button variant="secondary" autoFocus onClick={() => setConfirming(null)}>Cancel</Button>
              <Button variant="danger" disabled={revoke.isPending} onClick={() => revoke.mutate(confirming.id)}>
                {revoke.isPending ? "Revoking…" : "Revoke token"}
              </Button>
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}
