import Link from "next/link";
import type { EnvironmentItem } from "@/lib/client/config-api";
import { serviceHref, type Tab } from "./links";

const TAB_LABELS: Record<Tab, string> = {
  resolved: "Resolved config",
  layers: "Layers",
  history: "History",
  secrets: "Secrets",
  compare: "Compare environments",
  schema: "Schema",
};

/** Environments in pipeline order, protected ones marked; then what to look at in the chosen one. */
export function ServiceTabs({ service, environments, env, tab, layer }: { service: string; environments: EnvironmentItem[]; env: string; tab: Tab; layer: string }) {
  return (
    <div className="mb-5 space-y-3">
      <nav aria-label="Environments" className="flex flex-wrap items-center gap-2">
        {environments.map((e, i) => {
          const active = e.name === env;
          return (
            <span key={e.name} className="flex items-center gap-2">
              {i > 0 ? <span aria-hidden className="text-slate-300">→</span> : null}
              <Link
                href={serviceHref(service, { env: e.name, tab, layer })}
                aria-current={active ? "page" : undefined}
                className={`inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium ring-1 ring-inset ${
                  active ? "bg-slate-900 text-white ring-slate-900" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"
                }`}
              >
                {e.name}
                {e.protected ? (
                  <span
                    className={`rounded px-1 text-[10px] font-semibold uppercase tracking-wide ${active ? "bg-amber-300 text-amber-950" : "bg-amber-100 text-amber-900"}`}
                    title={`Protected: changes need ${e.requiredApprovals} approval${e.requiredApprovals === 1 ? "" : "s"}`}
                  >
                    protected
                  </span>
                ) : null}
              </Link>
            </span>
          );
        })}
      </nav>
      <nav aria-label="Service views" className="flex flex-wrap gap-1 border-b border-slate-200">
        {(Object.keys(TAB_LABELS) as Tab[]).map((t) => (
          <Link
            key={t}
            href={serviceHref(service, { env, tab: t, layer })}
            aria-current={t === tab ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
              t === tab ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
            }`}
          >
            {TAB_LABELS[t]}
          </Link>
        ))}
      </nav>
    </div>
  );
}
