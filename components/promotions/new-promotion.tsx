"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { openPromotion } from "@/lib/client/promotions-api";

const field = "mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

/**
 * "New promotion": one service, or several at once (a release, one request with one item per
 * service), from an environment to the next one in the pipeline. The target is never chosen:
 * the pipeline decides it.
 */
export function NewPromotion({
  services,
  environments,
  initial,
}: {
  services: string[];
  environments: string[];
  initial?: { open?: boolean; service?: string; from?: string };
}) {
  const router = useRouter();
  const id = useId();
  const sources = environments.slice(0, -1);
  const [open, setOpen] = useState(Boolean(initial?.open));
  const [chosen, setChosen] = useState<string[]>(initial?.service && services.includes(initial.service) ? [initial.service] : []);
  const [from, setFrom] = useState(initial?.from && sources.includes(initial.from) ? initial.from : (sources.at(-1) ?? ""));
  const [search, setSearch] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const to = environments[environments.indexOf(from) + 1] ?? "";

  const create = useMutation({
    mutationFn: openPromotion,
    onSuccess: (cr) => router.push(`/promotions/${cr.number}`),
  });

  if (sources.length === 0) return null;
  const button = <Button onClick={() => setOpen(true)} aria-haspopup="dialog">New promotion</Button>;
  if (!open) return button;

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (chosen.length === 0) return setLocalError("Choose at least one service to promote.");
    setLocalError(null);
    const title = String(new FormData(e.currentTarget).get("title") ?? "").trim();
    create.mutate({ services: chosen, from, to, ...(title ? { title } : {}) });
  }

  const shown = services.filter((s) => s.includes(search.trim().toLowerCase()));
  const toggle = (s: string) => setChosen((c) => (c.includes(s) ? c.filter((x) => x !== s) : [...c, s]));
  const error = localError ?? (create.error ? create.error.message : null);

  return (
    <>
      {button}
      <Dialog title="New promotion" onClose={() => setOpen(false)}>
        <form onSubmit={submit} aria-label="New promotion">
          <p className="text-slate-500">
            Carries the changes made in the source environment since its last promotion onto the next environment. Choose several services to promote them together as one release.
          </p>
          <fieldset className="mt-4">
            <legend className="text-xs font-medium text-slate-600">Services ({chosen.length} chosen)</legend>
            <label htmlFor={`${id}-q`} className="sr-only">Filter services</label>
            <input id={`${id}-q`} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Filter services" className={field} />
            <div className="mt-2 grid max-h-48 gap-1 overflow-y-auto rounded-md border border-slate-200 p-2 sm:grid-cols-2">
              {shown.map((s) => (
                <label key={s} className="flex items-center gap-2 rounded px-1 py-0.5 text-slate-800 hover:bg-slate-50">
                  <input type="checkbox" checked={chosen.includes(s)} onChange={() => toggle(s)} />
                  <span className="font-mono text-xs">{s}</span>
                </label>
              ))}
              {shown.length === 0 ? <p className="text-slate-500">No service matches “{search}”.</p> : null}
            </div>
          </fieldset>
          <div className="mt-4 flex flex-wrap items-end gap-3">
            <div>
              <label htmlFor={`${id}-from`} className="text-xs font-medium text-slate-600">From environment</label>
              <select id={`${id}-from`} value={from} onChange={(e) => setFrom(e.target.value)} className={field}>
                {sources.map((e) => <option key={e} value={e}>{e}</option>)}
              </select>
            </div>
            <p className="pb-1.5 text-slate-700" aria-live="polite">
              → to <strong data-testid="promotion-target">{to}</strong> <span className="text-slate-400">(next in the pipeline)</span>
            </p>
          </div>
          <div className="mt-4">
            <label htmlFor={`${id}-title`} className="text-xs font-medium text-slate-600">Title (optional)</label>
            <input
              id={`${id}-title`}
              name="title"
              maxLength={200}
              placeholder={chosen.length === 1 ? `Promote ${chosen[0]} from ${from} to ${to}` : `Promote ${chosen.length || "n"} services from ${from} to ${to}`}
              className={field}
            />
          </div>
          {error ? <p role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-red-700">{error}</p> : null}
          <div className="mt-4 flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setOpen(false)}>Close</Button>
            <Button type="submit" disabled={create.isPending || create.isSuccess}>{create.isPending || create.isSuccess ? "Opening…" : "Open promotion"}</Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
