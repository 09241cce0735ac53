"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { configKeys, fetchLayer, formatTime, layerTitle, type LayerKind, type LayerRef } from "@/lib/client/config-api";
import { CodeEditor } from "./code-editor-lazy";
import { LayerEditor } from "./layer-editor";
import { LAYER_KINDS, serviceHref } from "./links";
import { ProtectedNote } from "./protected-note";

const WHAT = {
  overlay: "Values for this environment only; they win over the base and the shared template.",
  base: "Values of this service in every environment; they win over the shared template.",
  shared: "The template every service starts from, in every environment. A change here reaches all of them.",
} as const;

/** One layer of the stack: its source as written and head revision; an editor for those allowed to write. */
export function LayerPanel({
  service,
  env,
  envProtected,
  kind,
  canWrite,
}: {
  service: string;
  env: string;
  envProtected: boolean;
  kind: LayerKind;
  canWrite: boolean;
}) {
  const ref: LayerRef = kind === "overlay" ? { kind, service, env } : kind === "base" ? { kind, service } : { kind };
  const layer = useQuery({ queryKey: configKeys.layer(ref), queryFn: () => fetchLayer(ref) });
  const [editing, setEditing] = useState(false);
  const protectedEnv = kind === "overlay" && envProtected ? env : null;

  return (
    <div className="space-y-4">
      <nav aria-label="Layers" className="flex flex-wrap gap-2">
        {LAYER_KINDS.map((k) => (
          <Link
            key={k}
            href={serviceHref(service, { env, tab: "layers", layer: k })}
            aria-current={k === kind ? "page" : undefined}
            className={`rounded-full px-3 py-1 text-sm font-medium ring-1 ring-inset ${k === kind ? "bg-indigo-600 text-white ring-indigo-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"}`}
          >
            {k === "overlay" ? `Overlay · ${env}` : k === "base" ? "Base" : "Shared template"}
          </Link>
        ))}
      </nav>
      <section aria-labelledby="layer-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <header className="mb-3 flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 id="layer-title" className="text-sm font-semibold text-slate-800">{layerTitle(ref)}</h2>
            <p className="mt-0.5 text-xs text-slate-500">{WHAT[kind]}</p>
            {layer.data?.head ? (
              <p className="mt-1 text-xs text-slate-600">
                Head{" "}
                <Link className="font-medium text-indigo-700 hover:underline" href={serviceHref(service, { env, tab: "history", layer: kind, rev: layer.data.head.number })}>
                  r{layer.data.head.number}
                </Link>{" "}
                by {layer.data.head.authorName}, {formatTime(layer.data.head.createdAt)} — “{layer.data.head.message}”
              </p>
            ) : null}
          </div>
          {canWrite && !editing && layer.data ? (
            <Button onClick={() => setEditing(true)}>{protectedEnv ? "Edit draft" : "Edit"}</Button>
          ) : null}
        </header>
        {protectedEnv && !editing ? (
          <div className="mb-3 rounded-md bg-amber-50 px-3 py-2"><ProtectedNote env={protectedEnv} /></div>
        ) : null}

        {layer.isPending ? (
          <p role="status" className="py-8 text-center text-sm text-slate-500">Loading the layer…</p>
        ) : layer.isError ? (
          <div role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
            Could not load the layer: {layer.error.message}{" "}
            <button className="font-medium underline" onClick={() => void layer.refetch()}>Try again</button>
          </div>
        ) : editing ? (
          <LayerEditor key={`${kind}-${env}`} layer={ref} initial={layer.data} protectedEnv={protectedEnv} onDone={() => setEditing(false)} />
        ) : layer.data.source.trim() === "" ? (
          <p className="rounded-md border border-dashed border-slate-300 px-4 py-8 text-center text-sm text-slate-500">
            This layer is empty: it adds nothing to the resolved config.{canWrite ? " Edit it to add values." : ""}
          </p>
        ) : (
          <CodeEditor value={layer.data.source} language={layer.data.format} label={`${layerTitle(ref)} (read only)`} readOnly />
        )}
      </section>
    </div>
  );
}
