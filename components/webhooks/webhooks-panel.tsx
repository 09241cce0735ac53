"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { EmptyState } from "@/components/ui/card";
import { api } from "@/lib/client/fetcher";
import { queryKeys } from "@/lib/client/query-keys";
import type { EndpointView } from "@/lib/server/webhooks/schemas";
import { SecretOnce } from "./secret-once";
import { WebhookForm } from "./webhook-form";
import { WebhookStatus, when } from "./webhook-status";

export function WebhooksPanel({ initial }: { initial: EndpointView[] }) {
  const endpoints = useQuery({
    queryKey: queryKeys.webhooks(),
    queryFn: async () => (await api<{ items: EndpointView[] }>("/api/v1/webhooks")).items,
    initialData: initial,
    refetchInterval: 10_000,
  });
  const [created, setCreated] = useState<{ endpoint: EndpointView; secret: string } | null>(null);
  const items = endpoints.data ?? [];
  const disabled = items.filter((e) => e.status === "disabled" && e.disabledReason);

  return (
    <div className="space-y-6">
      {created ? <SecretOnce title={`Endpoint “${created.endpoint.name}” added.`} secret={created.secret} onDone={() => setCreated(null)} /> : null}
      {disabled.length > 0 ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {disabled.length === 1 ? "One endpoint was" : `${disabled.length} endpoints were`} disabled because deliveries kept failing:{" "}
          {disabled.map((e) => e.name).join(", ")}. Fix the receiver, then enable it again from its page.
        </div>
      ) : null}
      <WebhookForm onCreated={setCreated} />
      {endpoints.error ? <p role="alert" className="text-sm text-red-700">Could not load the endpoints: {endpoints.error.message}</p> : null}
      {items.length === 0 ? (
        <EmptyState title="No webhook endpoints yet">Add an endpoint to have Nexus POST signed events (config saves, promotions, drift, health) to it.</EmptyState>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-2 pr-3 font-medium">Endpoint</th>
              <th className="py-2 pr-3 font-medium">Events</th>
              <th className="py-2 pr-3 font-medium">Format</th>
              <th className="py-2 pr-3 font-medium">Status</th>
              <th className="py-2 pr-3 font-medium">Waiting</th>
              <th className="py-2 font-medium">Last success</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {items.map((e) => (
              <tr key={e.id}>
                <td className="py-2 pr-3">
                  <Link href={`/settings/webhooks/${e.id}`} className="font-medium text-indigo-700 hover:underline">{e.name}</Link>
                  <p className="max-w-xs truncate font-mono text-xs text-slate-500" title={e.url}>{e.url}</p>
                </td>
                <td className="py-2 pr-3 font-mono text-xs text-slate-700">{e.eventTypes.join(", ")}</td>
                <td className="py-2 pr-3 text-slate-600">{e.format === "slack" ? "Slack" : "Standard"}</td>
                <td className="py-2 pr-3"><WebhookStatus endpoint={e} /></td>
                <td className="py-2 pr-3 tabular-nums text-slate-600">{e.pending}</td>
                <td className="py-2 text-slate-600">{when(e.lastSuccessAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
