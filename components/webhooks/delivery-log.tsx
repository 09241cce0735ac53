"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { api } from "@/lib/client/fetcher";
import { queryKeys } from "@/lib/client/query-keys";
import type { DeliveryView } from "@/lib/server/webhooks/schemas";
import { when } from "./webhook-status";

const STATUS_TONE = { delivered: "good", pending: "warn", dead: "bad" } as const;
const FILTERS = [
  { value: "", label: "All" },
  { value: "pending", label: "Retrying" },
  { value: "dead", label: "Failed" },
  { value: "delivered", label: "Delivered" },
];

/** An endpoint's deliveries, newest first, each with its attempts; failed or delivered ones can be sent again. */
export function DeliveryLog({ endpointId, enabled }: { endpointId: string; enabled: boolean }) {
  const qc = useQueryClient();
  const [status, setStatus] = useState("");
  const deliveries = useInfiniteQuery({
    queryKey: queryKeys.webhookDeliveries(endpointId, status),
    queryFn: ({ pageParam }) => {
      const q = new URLSearchParams({ limit: "25", ...(status ? { status } : {}), ...(pageParam ? { cursor: pageParam } : {}) });
      return api<{ items: DeliveryView[]; nextCursor: string | null }>(`/api/v1/webhooks/${endpointId}/deliveries?${q}`);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: 5_000,
  });
  const redeliver = useMutation({
    mutationFn: (id: string) => api(`/api/v1/webhooks/${endpointId}/deliveries/${id}/redeliver`, { method: "POST" }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: queryKeys.webhooks() }),
  });
  const items = deliveries.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="space-y-3">
      <div role="group" aria-label="Filter deliveries" className="flex flex-wrap gap-2">
        {FILTERS.map((f) => (
          <button
            key={f.value}
            type="button"
            aria-pressed={status === f.value}
            onClick={() => setStatus(f.value)}
            className={`rounded-full px-3 py-1 text-sm font-medium ring-1 ring-inset ${status === f.value ? "bg-indigo-600 text-white ring-indigo-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"}`}
          >
            {f.label}
          </button>
        ))}
      </div>
      {redeliver.error ? <p role="alert" className="text-sm text-red-700">{redeliver.error.message}</p> : null}
      {deliveries.isPending ? (
        <p role="status" className="text-sm text-slate-500">Loading deliveries…</p>
      ) : deliveries.error ? (
        <p role="alert" className="text-sm text-red-700">Could not load the delivery log: {deliveries.error.message}</p>
      ) : items.length === 0 ? (
        <EmptyState title={status ? "No deliveries with this status" : "Nothing delivered yet"}>
          Events this endpoint subscribes to appear here as they are sent. “Send test event” sends one now.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label="Deliveries">
          {items.map((d) => (
            <li key={d.id} className="px-4 py-3">
              <div className="flex flex-wrap items-center gap-3">
                <Badge tone={STATUS_TONE[d.status]}>{d.status === "pending" ? (d.attempts > 0 ? "retrying" : "queued") : d.status === "dead" ? "failed" : "delivered"}</Badge>
                <span className="font-mono text-sm text-slate-800">{d.eventType}</span>
                <span className="text-xs text-slate-500">{when(d.createdAt)}</span>
                <span className="text-xs text-slate-500">
                  {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
                  {d.lastStatusCode !== null ? ` · last answer ${d.lastStatusCode}` : ""}
                  {d.status === "pending" && d.nextAttemptAt && d.attempts > 0 ? ` · next try ${when(d.nextAttemptAt)}` : ""}
                </span>
                {d.redeliveryOf ? <span className="text-xs text-slate-500">redelivery by {d.requestedBy}</span> : null}
                <span className="ml-auto">
                  {d.status !== "pending" ? (
                    <Button variant="secondary" disabled={!enabled || redeliver.isPending} title={enabled ? undefined : "Enable the endpoint first"} onClick={() => redeliver.mutate(d.id)}>
                      Redeliver
                    </Button>
                  ) : null}
                </span>
              </div>
              {d.lastError && d.status !== "delivered" ? <p className="mt-1 text-sm text-red-700">{d.lastError}</p> : null}
              <details className="mt-2">
                <summary className="cursor-pointer text-xs font-medium text-slate-600">Attempts and body</summary>
                {d.attemptLog.length > 0 ? (
                  <table className="mt-2 w-full text-left text-xs">
                    <thead className="uppercase tracking-wide text-slate-500">
                      <tr><th className="py-1 pr-3 font-medium">#</th><th className="py-1 pr-3 font-medium">Sent</th><th className="py-1 pr-3 font-medium">Answer</th><th className="py-1 pr-3 font-medium">Duration</th><th className="py-1 font-medium">Response / error</th></tr>
                    </thead>
                    <tbody className="divide-y divide-slate-100">
                      {d.attemptLog.map((a) => (
                        <tr key={a.attempt}>
                          <td className="py-1 pr-3 tabular-nums">{a.attempt}</td>
                          <td className="py-1 pr-3">{when(a.startedAt)}</td>
                          <td className="py-1 pr-3 tabular-nums">{a.statusCode ?? "—"}</td>
                          <td className="py-1 pr-3 tabular-nums">{a.durationMs} ms</td>
                          <td className="py-1 font-mono break-all text-slate-600">
                            {a.error ? <span className="block text-red-700">{a.error}</span> : null}
                            {a.responseExcerpt ?? (a.error ? null : "(empty answer)")}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : (
                  <p className="mt-2 text-xs text-slate-500">Not attempted yet.</p>
                )}
                <p className="mt-2 text-xs text-slate-500">webhook-id <span className="font-mono">{d.messageId}</span></p>
                <pre className="mt-1 max-h-48 overflow-auto rounded bg-slate-50 p-2 text-xs break-all whitespace-pre-wrap text-slate-700">{d.body}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
      {deliveries.hasNextPage ? (
        <Button variant="secondary" disabled={deliveries.isFetchingNextPage} onClick={() => void deliveries.fetchNextPage()}>
          {deliveries.isFetchingNextPage ? "Loading…" : "Older deliveries"}
        </Button>
      ) : null}
    </div>
  );
}
