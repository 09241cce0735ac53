"use client";

import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { api, ApiError } from "@/lib/client/fetcher";

type Verdict =
  | { ok: true; checked: number; headHash: string; verifiedAt: string }
  | { ok: false; checked: number; brokenAtSeq: number | null; reason: string; verifiedAt: string };

const time = (iso: string) => `${iso.replace("T", " ").slice(0, 19)} UTC`;

/** Recomputes every hash of the chain on the server and says plainly whether it is intact. */
export function VerifyChain() {
  const verify = useMutation({ mutationFn: () => api<Verdict>("/api/v1/audit/verify") });
  const v = verify.data;
  return (
    <section aria-label="Chain integrity" className="mb-4 flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3">
      <div className="mr-auto">
        <p className="text-sm font-medium text-slate-800">Integrity</p>
        <p className="text-xs text-slate-500">Recomputes every event&apos;s hash from the first one and checks the recorded head.</p>
      </div>
      <div role="status" aria-live="polite" className="text-sm" data-testid="verify-result">
        {v?.ok ? (
          <p className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-1.5 text-emerald-800">
            <span className="font-semibold">Chain intact</span>: {v.checked.toLocaleString("en")} events verified, head{" "}
            <span className="font-mono text-xs">{v.headHash.slice(0, 12)}…</span>, at {time(v.verifiedAt)}.
          </p>
        ) : v ? (
          <p className="rounded-md border border-red-200 bg-red-50 px-3 py-1.5 text-red-800">
            <span className="font-semibold">Chain broken</span>
            {v.brokenAtSeq !== null ? <> at event #{v.brokenAtSeq}</> : null}: {v.reason} ({v.checked.toLocaleString("en")} events verified before it, at {time(v.verifiedAt)}).
          </p>
        ) : verify.error ? (
          <p className="text-red-700">{verify.error instanceof ApiError ? verify.error.message : "Verification failed."}</p>
        ) : null}
      </div>
      <Button variant="secondary" onClick={() => verify.mutate()} disabled={verify.isPending}>
        {verify.isPending ? "Verifying…" : "Verify chain"}
      </Button>
    </section>
  );
}
