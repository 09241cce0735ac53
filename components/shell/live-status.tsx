"use client";

import { useLiveUpdates, type LiveState } from "@/lib/client/use-live-updates";

const LOOK: Record<LiveState, { dot: string; label: string; title: string }> = {
  live: { dot: "bg-emerald-500", label: "Live", title: "Changes made by others appear here as they happen." },
  connecting: { dot: "bg-amber-400 animate-pulse", label: "Connecting…", title: "Connecting to live updates." },
  offline: { dot: "bg-slate-400", label: "Offline", title: "Live updates are unavailable; retrying. Reload to see the latest changes." },
};

/** Mounted once in the console layout: the one live-updates subscription, and its state for people. */
export function LiveStatus() {
  const state = useLiveUpdates();
  const look = LOOK[state];
  return (
    <span role="status" data-testid="live-status" data-state={state} title={look.title} className="flex items-center gap-1.5 text-xs text-slate-500">
      <span aria-hidden className={`h-2 w-2 rounded-full ${look.dot}`} />
      {look.label}
    </span>
  );
}
