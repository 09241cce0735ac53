"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { queryKeys } from "@/lib/client/query-keys";

/**
 * A change-request action: on success every change-request query refetches (lists, this page),
 * and the server components re-render so the nav badge counts what is still awaiting.
 */
export function useCrAction<V, R>(fn: (vars: V) => Promise<R>, after?: (result: R) => void) {
  const qc = useQueryClient();
  const router = useRouter();
  return useMutation({
    mutationFn: fn,
    onSuccess: async (result) => {
      after?.(result);
      await qc.invalidateQueries({ queryKey: queryKeys.changeRequests() });
      router.refresh();
    },
  });
}
