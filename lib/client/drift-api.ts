// The console's view of the drift API: response shapes (from the use cases' return types),
// fetchers, and the words and colours of each status.
import type { Tone } from "@/components/ui/badge";
import type { DriftStatusName } from "@/lib/domain/drift-status";
import type { getDriftBoard } from "@/lib/server/drift/get-drift-board";
import type { getDriftDetail } from "@/lib/server/drift/get-drift-detail";
import { api } from "./fetcher";

export type DriftBoard = Awaited<ReturnType<typeof getDriftBoard>>;
export type DriftDetail = Awaited<ReturnType<typeof getDriftDetail>>;
export type { DriftStatusName };

export const DRIFT_FILTERS = [
  { id: "all", label: "All" },
  { id: "drifted", label: "Drifted" },
  { id: "awaiting_rollout", label: "Awaiting rollout" },
  { id: "stale", label: "Stale" },
  { id: "unknown", label: "Unknown" },
  { id: "in_sync", label: "In sync" },
] as const;
export type DriftFilter = (typeof DRIFT_FILTERS)[number]["id"];
export const isDriftFilter = (v: unknown): v is DriftFilter => DRIFT_FILTERS.some((f) => f.id === v);

export const STATUS_LABEL: Record<DriftStatusName, string> = {
  in_sync: "in sync",
  drifted: "drifted",
  awaiting_rollout: "awaiting rollout",
  stale: "stale",
  unknown: "unknown",
};
export const STATUS_TONE: Record<DriftStatusName, Tone> = { in_sync: "good", drifted: "bad", awaiting_rollout: "info", stale: "warn", unknown: "neutral" };
/** Cell colours of the board (the same tones as the badges, a little stronger). */
export const STATUS_CELL: Record<DriftStatusName, string> = {
  in_sync: "bg-emerald-50 text-emerald-800 ring-emerald-200 hover:bg-emerald-100",
  drifted: "bg-red-100 text-red-800 ring-red-300 hover:bg-red-200",
  awaiting_rollout: "bg-indigo-50 text-indigo-800 ring-indigo-200 hover:bg-indigo-100",
  stale: "bg-amber-50 text-amber-900 ring-amber-200 hover:bg-amber-100",
  unknown: "bg-slate-50 text-slate-500 ring-slate-200 hover:bg-slate-100",
};
export const STATUS_ORDER: DriftStatusName[] = ["drifted", "awaiting_rollout", "stale", "unknown", "in_sync"];

export const driftPath = (service: string, env: string) => `/api/v1/drift/${encodeURIComponent(service)}/${encodeURIComponent(env)}`;

export const fetchDriftBoard = (filter: DriftFilter, q: string, cursor: string | null) => {
  const p = new URLSearchParams();
  if (filter !== "all") p.set("status", filter);
  if (q) p.set("q", q);
  if (cursor) p.set("cursor", cursor);
  return api<DriftBoard>(`/api/v1/drift${p.size ? `?${p}` : ""}`);
};
export const fetchDriftDetail = (service: string, env: string) => api<DriftDetail>(driftPath(service, env));

export const acknowledge = (service: string, env: string) => api<{ acknowledgedAt: string }>(`${driftPath(service, env)}/acknowledge`, { method: "POST" });
export const reapply = (service: string, env: string) => api<{ outcome: string; detail: string }>(`${driftPath(service, env)}/reapply`, { method: "POST" });
export const adopt = (service: string, env: string) =>
  api<{ mode: "change_request"; changeRequest: { id: string; number: number }; adopted: string[]; skippedSecrets: string[] } | { mode: "saved"; revision: number; adopted: string[]; skippedSecrets: string[] }>(
    `${driftPath(service, env)}/adopt`,
    { method: "POST", json: {} },
  );
export const ignorePath = (service: string, env: string, body: { pattern: string; reason: string; allEnvironments: boolean }) =>
  api<{ id: string }>(`${driftPath(service, env)}/ignore`, { method: "POST", json: body });
export const removeIgnore = (service: string, env: string, id: string) => api<{ removed: string }>(`${driftPath(service, env)}/ignore/${id}`, { method: "DELETE" });
