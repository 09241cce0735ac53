"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { api } from "@/lib/client/fetcher";
import { queryKeys } from "@/lib/client/query-keys";
import type { EndpointView } from "@/lib/server/webhooks/schemas";
import { DeliveryLog } from "./delivery-log";
import { SecretOnce } from "./secret-once";
import { WebhookStatus, when } from "./webhook-status";

type Confirm = "rotate" | "delete" | "disable" | null;

export function EndpointDetail({ initial }: { initial: EndpointView }) {
  const qc = useQueryClient();
  const router = useRouter();
  const base = `/api/v1/webhooks/${initial.id}`;
  const endpoint = useQuery({
    queryKey: [...queryKeys.webhooks(), "detail", initial.id],
    queryFn: () => api<EndpointView>(base),
    initialData: initial,
    // As often as the delivery log below, so the status and counts agree with it.
    refetchInterval: 5_000,
  });
  const e = endpoint.data ?? initial;
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: queryKeys.webhooks() });

  const toggle = useMutation({
    mutationFn: (enabled: boolean) => api<EndpointView>(base, { method: "PATCH", json: { enabled } }),
    onSuccess: (v) => {
      setConfirm(null);
      setNotice(v.enabled ? "Enabled: waiting deliveries are sent again." : "Disabled: nothing is sent until it is enabled again.");
      refresh();
    },
  });
  const rotate = useMutation({
    mutationFn: () => api<{ secret: string }>(`${base}/rotate-secret`, { method: "POST" }),
    onSuccess: (r) => {
      setConfirm(null);
      setSecret(r.secret);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => api(base, { method: "DELETE" }),
    onSuccess: () => {
      refresh();
      router.push("/settings/webhooks");
    },
  });
  const test = useMutation({
    mutationFn: () => api(`${base}/test`, { method: "POST" }),
    onSuccess: () => {
      setNotice("A webhook.test message is queued; it appears in the log below within seconds.");
      refresh();
    },
  });
  const actionError = [toggle.error, rotate.error, test.error].find(Boolean);

  return (
    <div className="space-y-6">
      {secret ? <SecretOnce title="Secret rotated: receivers must use the new one from now on." secret={secret} onDone={() => setSecret(null)} /> : null}
      {e.status === "disabled" && e.disabledReason ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          Nexus disabled this endpoint on {when(e.disabledAt)}: {e.disabledReason}. Fix the receiver, then enable it again; waiting deliveries resume.
        </div>
      ) : null}
      {notice ? <p role="status" className="text-sm text-emerald-800">{notice}</p> : null}
      {actionError ? <p role="alert" className="text-sm text-red-700">{actionError.message}</p> : null}
      <Card
        title={<span className="flex items-center gap-2">{e.name} <WebhookStatus endpoint={e} /></span>}
        action={
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" disabled={!e.enabled || test.isPending} onClick={() => test.mutate()}>Send test event</Button>
            {e.enabled ? (
              <Button variant="secondary" onClick={() => setConfirm("disable")}>Disable</Button>
            ) : (
              <Button variant="secondary" disabled={toggle.isPending} onClick={() => toggle.mutate(true)}>Enable</Button>
            )}
            <Button variant="secondary" onClick={() => setConfirm("rotate")}>Rotate secret</Button>
            <Button variant="danger" onClick={() => setConfirm("delete")}>Delete</Button>
          </div>
        }
      >
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-3">
          <Item label="URL"><span className="font-mono break-all">{e.url}</span></Item>
          <Item label="Events"><span className="font-mono">{e.eventTypes.join(", ")}</span></Item>
          <Item label="Format">{e.format === "slack" ? "Slack-compatible {\"text\"}" : "Standard Webhooks JSON"}</Item>
          <Item label="Limited to">{[e.services?.join(", "), e.environments?.join(", ")].filter(Boolean).join(" / ") || "every service and environment"}</Item>
          <Item label="Last success">{when(e.lastSuccessAt)}</Item>
          <Item label="Failing since">{e.failingSince ? when(e.failingSince) : "—"}</Item>
          <Item label="Waiting deliveries">{e.pending}</Item>
          <Item label="Secret">version {e.secretVersion}</Item>
          <Item label="Created">{when(e.createdAt)} by {e.createdBy}</Item>
        </dl>
        {e.description ? <p className="mt-3 text-sm text-slate-600">{e.description}</p> : null}
      </Card>
      <Card title="Delivery log">
        <DeliveryLog endpointId={e.id} enabled={e.enabled} />
      </Card>

      {confirm === "rotate" ? (
        <ConfirmDialog title={`Rotate the secret of “${e.name}”?`} confirmLabel="Rotate secret" pendingLabel="Rotating…" pending={rotate.isPending} error={rotate.error?.message} onConfirm={() => rotate.mutate()} onCancel={() => setConfirm(null)}>
          Messages are signed with the new secret from now on; receivers still holding the old one will reject them until updated.
        </ConfirmDialog>
      ) : null}
      {confirm === "disable" ? (
        <ConfirmDialog title={`Disable “${e.name}”?`} confirmLabel="Disable" pendingLabel="Disabling…" pending={toggle.isPending} error={toggle.error?.message} onConfirm={() => toggle.mutate(false)} onCancel={() => setConfirm(null)}>
          Nothing is sent to it while disabled, and new events are not queued for it.
        </ConfirmDialog>
      ) : null}
      {confirm === "delete" ? (
        <ConfirmDialog danger title={`Delete “${e.name}”?`} confirmLabel="Delete endpoint" pendingLabel="Deleting…" pending={remove.isPending} error={remove.error?.message} onConfirm={() => remove.mutate()} onCancel={() => setConfirm(null)}>
          The endpoint and its delivery log are removed; waiting deliveries are dropped. This cannot be undone.
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="text-slate-800">{children}</dd>
    </div>
  );
}
