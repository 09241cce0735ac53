"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Re-renders the server components of the page every `everyMs` without reloading it. */
export function AutoRefresh({ everyMs }: { everyMs: number }) {
  const router = useRouter();
  useEffect(() => {
    const t = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, everyMs);
    return () => clearInterval(t);
  }, [router, everyMs]);
  return null;
}
