"use client";

import { useEffect, useState } from "react";

/**
 * The current time for "5 min ago" labels, ticking each minute. It starts from `floor` (when the
 * data was fetched, the same on the server and in the browser) so hydration matches.
 */
export function useNow(floor: number): number {
  const [now, setNow] = useState(floor);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);
  return Math.max(now, floor);
}
