import { Badge } from "@/components/ui/badge";
import type { EndpointView } from "@/lib/server/webhooks/schemas";

const LABEL: Record<EndpointView["status"], string> = { healthy: "healthy", failing: "failing", disabled: "disabled", new: "no delivery yet" };
const TONE = { healthy: "good", failing: "warn", disabled: "bad", new: "neutral" } as const;

export function WebhookStatus({ endpoint }: { endpoint: EndpointView }) {
  return <Badge tone={TONE[endpoint.status]}>{LABEL[endpoint.status]}</Badge>;
}

export function when(iso: string | null): string {
  return iso ? iso.replace("T", " ").slice(0, 19) : "never";
}
