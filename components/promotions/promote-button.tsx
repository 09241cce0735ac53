"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { openPromotion } from "@/lib/client/promotions-api";

/** Opens the promotion of one service to the next environment and goes to its page. */
export function PromoteButton({ service, from, to }: { service: string; from: string; to: string }) {
  const router = useRouter();
  const open = useMutation({ mutationFn: openPromotion, onSuccess: (cr) => router.push(`/promotions/${cr.number}`) });
  return (
    <div>
      <Button disabled={open.isPending || open.isSuccess} onClick={() => open.mutate({ services: [service], from, to })}>
        {open.isPending || open.isSuccess ? "Opening…" : `Promote to ${to}`}
      </Button>
      {open.error ? <p role="alert" className="mt-2 text-xs text-red-700">{open.error.message}</p> : null}
    </div>
  );
}
