"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { api, ApiError } from "@/lib/client/fetcher";
import { queryKeys } from "@/lib/client/query-keys";
import { WEBHOOK_EVENT_TYPES } from "@/lib/domain/webhook-events";
import type { EndpointView } from "@/lib/server/webhooks/schemas";

const input = "mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

const EVENT_HELP: Record<string, string> = {
  "config.saved": "a layer got a new revision",
  "secret.rotated": "a secret got a new value",
  "change_request.*": "promotions opened, approved, applied…",
  "drift.*": "drift detected or resolved",
  "health.*": "health status changes, incidents",
  "*": "every event",
};

/** Registers an endpoint; the secret comes back once, to the caller. */
export function WebhookForm({ onCreated }: { onCreated: (r: { endpoint: EndpointView; secret: string }) => void }) {
  const qc = useQueryClient();
  const create = useMutation({
    mutationFn: (body: unknown) => api<{ endpoint: EndpointView; secret: string }>("/api/v1/webhooks", { method: "POST", json: body }),
    onSuccess: (data) => {
      onCreated(data);
      void qc.invalidateQueries({ queryKey: queryKeys.webhooks() });
    },
  });

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const list = (name: string) => {
      const v = String(f.get(name) ?? "").trim();
      return v ? v.split(",").map((s) => s.trim()).filter(Boolean) : null;
    };
    create.mutate(
      {
        name: String(f.get("name") ?? ""),
        url: String(f.get("url") ?? ""),
        description: String(f.get("description") ?? ""),
        eventTypes: f.getAll("eventTypes"),
        format: f.get("format"),
        services: list("services"),
        environments: list("environments"),
      },
      { onSuccess: () => form.reset() },
    );
  }

  const fieldErrors = create.error instanceof ApiError ? create.error.problem.errors ?? [] : [];

  return (
    <form onSubmit={submit} aria-label="Add webhook endpoint" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-3">
      <div>
        <label htmlFor="w-name" className="text-xs font-medium text-slate-600">Name</label>
        <input id="w-name" name="name" required maxLength={100} placeholder="ops-slack" className={input} />
      </div>
      <div className="sm:col-span-1 lg:col-span-2">
        <label htmlFor="w-url" className="text-xs font-medium text-slate-600">URL (http or https)</label>
        <input id="w-url" name="url" type="url" required maxLength={2000} placeholder="https://hooks.example.com/nexus" className={input} />
      </div>
      <fieldset className="sm:col-span-2 lg:col-span-3">
        <legend className="text-xs font-medium text-slate-600">Events</legend>
        <div className="mt-1 grid gap-x-4 gap-y-1 sm:grid-cols-2 lg:grid-cols-3">
          {WEBHOOK_EVENT_TYPES.map((t) => (
            <label key={t} className="flex items-baseline gap-1.5 text-sm">
              <input type="checkbox" name="eventTypes" value={t} defaultChecked={t === "config.saved"} />
              <span className="font-mono">{t}</span>
              <span className="text-xs text-slate-500">{EVENT_HELP[t]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div>
        <label htmlFor="w-format" className="text-xs font-medium text-slate-600">Format</label>
        <select id="w-format" name="format" defaultValue="standard" className={input}>
          <option value="standard">Standard Webhooks JSON</option>
          <option value="slack">Slack-compatible ({"{"}&quot;text&quot;{"}"})</option>
        </select>
      </div>
      <div>
        <label htmlFor="w-svc" className="text-xs font-medium text-slate-600">Services (comma-separated, empty: all)</label>
        <input id="w-svc" name="services" placeholder="api-gateway, redis" className={input} />
      </div>
      <div>
        <label htmlFor="w-env" className="text-xs font-medium text-slate-600">Environments (empty: all)</label>
        <input id="w-env" name="environments" placeholder="production" className={input} />
      </div>
      <div className="sm:col-span-2">
        <label htmlFor="w-desc" className="text-xs font-medium text-slate-600">Description (optional)</label>
        <input id="w-desc" name="description" maxLength={500} className={input} />
      </div>
      <div className="flex items-end">
        <Button type="submit" disabled={create.isPending}>{create.isPending ? "Adding…" : "Add endpoint"}</Button>
      </div>
      {create.error ? (
        <div role="alert" className="text-sm text-red-700 sm:col-span-2 lg:col-span-3">
          {create.error.message}
          {fieldErrors.length > 0 ? <ul className="list-disc pl-5">{fieldErrors.map((e) => <li key={e.path}>{e.path.replace(/^body\./, "")}: {e.message}</li>)}</ul> : null}
        </div>
      ) : null}
    </form>
  );
}
