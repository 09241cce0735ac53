"use client";

import { Button } from "@/components/ui/button";

/** A signing secret, shown this once, with how a receiver uses it. */
export function SecretOnce({ title, secret, onDone }: { title: string; secret: string; onDone: () => void }) {
  return (
    <div role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 p-4">
      <p className="text-sm font-semibold text-emerald-900">{title} Copy the signing secret now: it will not be shown again.</p>
      <code data-testid="webhook-secret" className="mt-2 block break-all rounded bg-white px-3 py-2 font-mono text-sm ring-1 ring-emerald-200">
        {secret}
      </code>
      <p className="mt-2 text-xs text-emerald-900">
        Receivers verify the webhook-id, webhook-timestamp and webhook-signature headers with this secret, using any Standard Webhooks library (see the README).
      </p>
      <div className="mt-2 flex gap-2">
        <Button variant="secondary" onClick={() => void navigator.clipboard?.writeText(secret)}>Copy</Button>
        <Button variant="ghost" onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}
