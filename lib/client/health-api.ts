// The console's view of the health API: response shapes (from the use cases' return types),
// query keys, fetchers and the words and colours of a status.
import type { CheckSettings } from "@/lib/server/health/check-schemas";
import type { HealthBoard } from "@/lib/server/health/get-health-board";
import type { ServiceHealth } from "@/lib/server/health/get-service-health";
import type { listAlertRules } from "@/lib/server/health/alert-rules";
import type { listIncidents } from "@/lib/server/health/list-incidents";
import type { CheckView } from "@/lib/server/health/view";
import type { Tone } from "@/components/ui/badge";
import { api } from "./fetcher";

export type { CheckSettings, CheckView, HealthBoard, ServiceHealth };
export type IncidentPage = Awaited<ReturnType<typeof listIncidents>>;
export type Incident = IncidentPage["items"][number];
export type AlertRule = Awaited<ReturnType<typeof listAlertRules>>["items"][number];
export type HealthRange = "24h" | "7d" | "30d";
export type Status = "up" | "degraded" | "down" | "unknown";

/** Every health key starts with "health", so one invalidation after a change refreshes all of it. */
export const healthKeys = {
  all: () => ["health"] as const,
  board: () => ["health", "board"] as const,
  service: (svc: string, range: HealthRange, check: string | null) => ["health", "service", svc, range, check] as const,
  incidents: (state: "open" | "all") => ["health", "incidents", state] as const,
  alertRules: () => ["health", "alert-rules"] as const,
};

/** How often health views poll while open (live updates without reloading the page). */
export const HEALTH_REFRESH_MS = 10_000;

const enc = encodeURIComponent;
export const fetchBoard = () => api<HealthBoard>("/api/v1/health");
export const fetchServiceHealth = (svc: string, range: HealthRange, check: string | null) =>
  api<ServiceHealth>(`/api/v1/health/services/${enc(svc)}?range=${range}${check ? `&check=${enc(check)}` : ""}`);
export const fetchIncidents = (state: "open" | "all") => api<IncidentPage>(`/api/v1/health/incidents?state=${state}&limit=20`);
export const fetchAlertRules = async () => (await api<{ items: AlertRule[] }>("/api/v1/health/alert-rules")).items;

export const STATUS_TONE: Record<Status, Tone> = { up: "good", degraded: "warn", down: "bad", unknown: "neutral" };
export const STATUS_LABEL: Record<Status, string> = { up: "up", degraded: "degraded", down: "down", unknown: "no data yet" };
export const STATUS_ORDER: Record<Status, number> = { down: 0, degraded: 1, unknown: 2, up: 3 };

export function formatUptime(pct: number | null): string {
  if (pct === null) return "—";
  if (pct === 100) return "100%";
  return `${pct >= 99.95 ? pct.toFixed(2) : pct.toFixed(1)}%`;
}
