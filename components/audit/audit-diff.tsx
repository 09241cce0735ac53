"use client";

import { useMemo } from "react";
import { DiffTable } from "@/components/config/diff-view";
import { diffConfigs } from "@/lib/domain/diff-configs";
import type { ConfigValue } from "@/lib/domain/config-value";
import type { AuditEventView } from "@/lib/server/audit/list-audit-events";

const asValue = (v: unknown): ConfigValue => (v === undefined ? null : (v as ConfigValue));

/**
 * What an event changed: its before and after compared path by path. A creation has no before and
 * a deletion no after; both sides are shown as recorded (secrets were redacted when it was written).
 */
export function AuditDiff({ event }: { event: AuditEventView }) {
  const { before, after } = event;
  const changes = useMemo(() => {
    // Missing sides compare as an empty object, so every path reads as added or removed.
    const a = before === null ? {} : asValue(before);
    const b = after === null ? {} : asValue(after);
    return diffConfigs(a, b);
  }, [before, after]);
  const what = before === null && after === null ? "nothing recorded" : before === null ? "created" : after === null ? "removed" : "changed";

  return (
    <div className="space-y-3" data-testid="audit-diff">
      <dl className="grid gap-x-6 gap-y-1 text-xs text-slate-600 sm:grid-cols-2 lg:grid-cols-4">
        <Meta label="Target" value={`${event.targetType} ${event.targetId}`} />
        <Meta label="Environment" value={event.environment ?? "— (not environment-specific)"} />
        <Meta label="Request" value={event.requestId ?? "—"} />
        <Meta label="From" value={[event.ip, event.userAgent].filter(Boolean).join(" · ") || "—"} />
        <Meta label="Hash" value={`${event.hash.slice(0, 16)}…`} mono />
        <Meta label="Previous hash" value={`${event.prevHash.slice(0, 16)}…`} mono />
      </dl>
      <DiffTable
        changes={changes}
        fromLabel={before === null ? "Before (none)" : "Before"}
        toLabel={after === null ? "After (none)" : "After"}
        empty={what === "nothing recorded" ? "This event records no before or after." : "Before and after are identical."}
      />
    </div>
  );
}

function Meta({ label, value, mono = false }: { label: string; value: string; mono?: boolean }) {
  return (
    <div className="min-w-0">
      <dt className="font-medium text-slate-500">{label}</dt>
      <dd className={`truncate text-slate-800 ${mono ? "font-mono" : ""}`} title={value}>{value}</dd>
    </div>
  );
}
