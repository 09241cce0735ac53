"use client";

import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

/** Asks what a change does before saving it: Enter saves, Escape cancels. */
export function SaveDialog({
  title,
  description,
  submitLabel = "Save",
  pending,
  error,
  onSave,
  onCancel,
}: {
  title: string;
  description?: string;
  submitLabel?: string;
  pending: boolean;
  error?: string | null;
  onSave: (message: string) => void;
  onCancel: () => void;
}) {
  const [message, setMessage] = useState("");
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (message.trim()) onSave(message.trim());
  };
  return (
    <Dialog title={title} onClose={onCancel}>
      <form onSubmit={submit} className="space-y-3">
        {description ? <p>{description}</p> : null}
        <div>
          <label htmlFor={id} className="block text-xs font-medium text-slate-700">Message</label>
          <input
            id={id}
            data-autofocus
            required
            maxLength={500}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            placeholder="What does this change do, and why?"
            className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm text-slate-900"
          />
          <p className="mt-1 text-xs text-slate-500">Enter saves, Escape cancels. The message is kept in the history and the audit trail.</p>
        </div>
        {error ? <p role="alert" className="text-sm text-red-700">{error}</p> : null}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={onCancel}>Cancel</Button>
          <Button type="submit" disabled={pending || !message.trim()}>{pending ? "Saving…" : submitLabel}</Button>
        </div>
      </form>
    </Dialog>
  );
}
