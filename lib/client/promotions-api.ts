// The console's view of the change-request API: response shapes (taken from the use cases'
// return types, so they cannot drift), fetchers, and the words and colours the pages use.
import type { getChangeRequest } from "@/lib/server/promotions/get-change-request";
import type { listChangeRequests } from "@/lib/server/promotions/list-change-requests";
import { api } from "./fetcher";

export type ChangeRequestView = Awaited<ReturnType<typeof getChangeRequest>>;
export type ChangeRequestPage = Awaited<ReturnType<typeof listChangeRequests>>;
export type ChangeRequestSummary = ChangeRequestPage["items"][number];
export type CrActions = ChangeRequestView["actions"];

export const CR_FILTERS = [
  { id: "open", label: "Open" },
  { id: "awaiting-me", label: "Awaiting my approval" },
  { id: "mine", label: "Mine" },
  { id: "applied", label: "Applied" },
  { id: "all", label: "All" },
] as const;
export type CrFilter = (typeof CR_FILTERS)[number]["id"];

export function isCrFilter(v: unknown): v is CrFilter {
  return CR_FILTERS.some((f) => f.id === v);
}

export const crPath = (id: string | number) => `/api/v1/change-requests/${encodeURIComponent(String(id))}`;

export const fetchChangeRequest = (id: string) => api<ChangeRequestView>(crPath(id));

export const fetchChangeRequests = (filter: CrFilter, cursor: string | null) =>
  api<ChangeRequestPage>(`/api/v1/change-requests?filter=${filter}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);

/** Opens a promotion; the answer carries the number the console navigates to. */
export const openPromotion = (body: { services: string[]; from: string; to: string; title?: string }) =>
  api<{ id: string; number: number; state: string; title: string }>("/api/v1/change-requests", { method: "POST", json: { kind: "promotion", ...body } });

export const stateLabel = (state: string) => state.replace("_", " ");

/** "5 min ago": coarse on purpose, a list only needs to tell fresh from stale. */
export function age(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

/** Shown the same on the server and in the browser (no locale, no time zone guessing). */
export function formatTime(iso: string): string {
  return `${iso.replace("T", " ").slice(0, 16)} UTC`;
}
