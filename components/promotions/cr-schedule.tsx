"use client";

import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { api } from "@/lib/client/fetcher";
import { crPath, formatTime, type ChangeRequestView } from "@/lib/client/promotions-api";
import { useCrAction } from "./use-cr-action";

/**
 * When the job runner applies the request by itself once it is approved and due. Shown to those
 * who may apply to the target, while the request is in review or approved.
 */
export function CrSchedule({ cr }: { cr: ChangeRequestView }) {
  const id = useId();
  const [value, setValue] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);
  const schedule = useCrAction((at: string | null) => api<{ scheduledAt: string | null }>(`${crPath(cr.id)}/schedule`, { method: "POST", json: { at } }), () => setValue(""));
  const open = cr.state === "in_review" || cr.state === "approved";
  if (!cr.actions.schedule && !(open && cr.scheduledAt)) return null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // datetime-local has no zone: it is the browser's local time.
    const at = new Date(value);
    if (!value || Number.isNaN(at.getTime())) return setInvalid("Pick a date and time.");
    setInvalid(null);
    schedule.mutate(at.toISOString());
  };
  const error = invalid ?? schedule.error?.message ?? null;

  return (
    <section aria-labelledby={`${id}-h`} className="mb-6 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id={`${id}-h`} className="text-sm font-semibold text-slate-800">Scheduled apply</h2>
      <p className="mt-1 text-sm text-slate-600" data-testid="cr-scheduled">
        {cr.scheduledAt ? (
          <>Applies automatically at <time dateTime={cr.scheduledAt} className="font-medium">{formatTime(cr.scheduledAt)}</time> if it is approved and its checks pass by then.</>
        ) : (
          "Not scheduled: someone applies it by hand once approved."
        )}
      </p>
      {cr.actions.schedule ? (
        <form onSubmit={submit} className="mt-3 flex flex-wrap items-end gap-2">
          <div>
            <label htmlFor={`${id}-at`} className="block text-xs font-medium text-slate-600">Apply at (your local time)</label>
            <input
              id={`${id}-at`}
              type="datetime-local"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              required
              className="mt-1 rounded-md border border-slate-300 px-2 py-1.5 text-sm text-slate-900"
            />
          </div>
          <Button type="submit" disabled={schedule.isPending}>{schedule.isPending ? "Saving…" : cr.scheduledAt ? "Reschedule" : "Schedule"}</Button>
          {cr.scheduledAt ? (
            <Button type="button" variant="secondary" disabled={schedule.isPending} onClick={() => schedule.mutate(null)}>Clear schedule</Button>
          ) : null}
        </form>
      ) : null}
      {error ? <p role="alert" className="mt-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p> : null}
    </section>
  );
}
