"use client";

import { useEffect, useState } from "react";

/** The current time, ticking each minute; starts from the server's clock so hydration matches. */
export function useNow(initial: number): number {
  const [now, setNow] = useState(initial);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);
  return now;
}
