import { Badge, type Tone } from "@/components/ui/badge";
import { stateLabel } from "@/lib/client/promotions-api";

const TONES: Record<string, Tone> = {
  draft: "neutral",
  in_review: "info",
  approved: "good",
  applied: "good",
  rejected: "bad",
  failed: "bad",
  cancelled: "neutral",
  outdated: "warn",
};

export function StateBadge({ state }: { state: string }) {
  return <Badge tone={TONES[state] ?? "neutral"}>{stateLabel(state)}</Badge>;
}
