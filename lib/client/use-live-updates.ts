"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { invalidationsFor, parseLiveMessage } from "./live-events";

export type LiveState = "connecting" | "live" | "offline";

// Server-rendered parts (overview, nav badge, drift, health, audit) re-render once per burst.
const REFRESH_DEBOUNCE_MS = 300;

/**
 * Subscribes once to GET /api/v1/events and makes the matching react-query caches stale, so a change
 * made by someone else shows without a reload. EventSource reconnects by itself and sends the last
 * `id:` back as Last-Event-ID; when it gives up (an error status), a new one is opened after a pause,
 * carrying the last id in `?lastEventId=` so nothing in between is lost.
 */
export function useLiveUpdates(): LiveState {
  const qc = useQueryClient();
  const router = useRouter();
  const [state, setState] = useState<LiveState>("connecting");
  const lastId = useRef<number | null>(null);

  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let refresh: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;

    const scheduleRefresh = () => {
      clearTimeout(refresh);
      refresh = setTimeout(() => router.refresh(), REFRESH_DEBOUNCE_MS);
    };

    const connect = () => {
      const url = lastId.current !== null ? `/api/v1/events?lastEventId=${lastId.current}` : "/api/v1/events";
      source = new EventSource(url);
      source.onmessage = (e: MessageEvent<string>) => {
        const m = parseLiveMessage(e.data);
        if (!m) return;
        if (m.id !== null) lastId.current = m.id;
        if (m.type === "stream.ready") {
          failures = 0;
          setState("live");
          return;
        }
        for (const inv of invalidationsFor(m)) {
          if (inv === "everything") void qc.invalidateQueries();
          else void qc.invalidateQueries({ queryKey: inv.queryKey, predicate: inv.predicate ? (q) => inv.predicate!(q.queryKey) : undefined });
        }
        scheduleRefresh();
      };
      source.onerror = () => {
        if (source?.readyState === EventSource.CLOSED) {
          setState("offline");
          source.close();
          failures += 1;
          if (!stopped) retry = setTimeout(connect, Math.min(30_000, 1000 * 2 ** failures));
        } else {
          setState("connecting");
        }
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(refresh);
      source?.close();
    };
  }, [qc, router]);

  return state;
}
