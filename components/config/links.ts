// URLs of the service page: its state (environment, tab, layer, selected revision) lives in the
// query string so that every view, such as a provenance link to a revision, can be shared.
export const TABS = ["resolved", "layers", "history", "secrets", "compare", "schema"] as const;
export type Tab = (typeof TABS)[number];
export const LAYER_KINDS = ["overlay", "base", "shared"] as const;

export function serviceHref(svc: string, q: { env: string; tab?: Tab; layer?: string; rev?: number }): string {
  const p = new URLSearchParams({ env: q.env });
  if (q.tab && q.tab !== "resolved") p.set("tab", q.tab);
  if (q.layer && q.layer !== "overlay") p.set("layer", q.layer);
  if (q.rev !== undefined) p.set("rev", String(q.rev));
  return `/services/${encodeURIComponent(svc)}?${p}`;
}
