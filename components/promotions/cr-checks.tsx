import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { ChangeRequestView } from "@/lib/client/promotions-api";

/** The checklist: every check with the reason it failed, and warnings that inform without blocking. */
export function CrChecks({ cr }: { cr: ChangeRequestView }) {
  const failing = cr.checks.filter((c) => !c.ok).length;
  return (
    <Card
      title="Checks"
      action={cr.checks.length === 0 ? null : failing === 0 ? <Badge tone="good">all pass</Badge> : <Badge tone="bad">{failing} failing</Badge>}
    >
      {cr.checks.length === 0 ? (
        <p className="text-sm text-slate-500">Checks run while a request is open; this one is {cr.state.replace("_", " ")}.</p>
      ) : (
        <ul className="space-y-3" aria-label="Checks" data-testid="cr-checks">
          {cr.checks.map((c) => (
            <li key={c.id} className="flex gap-2 text-sm">
              <span aria-hidden className={`mt-0.5 flex h-5 w-5 shrink-0 items-center justify-center rounded-full text-xs font-bold ${c.ok ? "bg-emerald-100 text-emerald-700" : "bg-red-100 text-red-700"}`}>
                {c.ok ? "✓" : "✗"}
              </span>
              <div className="min-w-0">
                <p className={c.ok ? "text-slate-800" : "font-medium text-red-800"}>
                  <span className="sr-only">{c.ok ? "Passes: " : "Fails: "}</span>
                  {c.label}
                </p>
                {c.failures.length > 0 ? (
                  <ul className="mt-1 list-disc space-y-0.5 pl-4 text-xs break-words text-red-700">
                    {c.failures.map((f) => <li key={f}>{f}</li>)}
                  </ul>
                ) : null}
                {c.warnings.length > 0 ? (
                  <ul className="mt-1 space-y-0.5 text-xs break-words text-amber-800">
                    {c.warnings.map((w) => <li key={w}><span className="font-semibold">Warning:</span> {w}</li>)}
                  </ul>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
