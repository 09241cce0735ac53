"use client";

import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { api, ApiError } from "@/lib/client/fetcher";

interface Verdict {
  ok: boolean;
  checked: number;
  reason?: string;
  verifiedAt: string;
}

export function VerifyChainButton() {
  const verify = useMutation({ mutationFn: () => api<Verdict>("/api/v1/audit/verify") });
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button variant="secondary" onClick={() => verify.mutate()} disabled={verify.isPending}>
        {verify.isPending ? "Verifying…" : "Verify chain"}
      </Button>
      <span role="status" aria-live="polite" className="text-sm">
        {verify.data?.ok ? (
          <span className="text-emerald-700">Chain intact: {verify.data.checked} events verified.</span>
        ) : verify.data ? (
          <span className="text-red-700">Chain broken: {verify.data.reason}</span>
        ) : verify.error ? (
          <span className="text-red-700">{verify.error instanceof ApiError ? verify.error.message : "Verification failed."}</span>
        ) : null}
      </span>
    </div>
  );
}
