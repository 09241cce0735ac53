import { Badge } from "@/components/ui/badge";
import { STATUS_LABEL, STATUS_TONE, type Status } from "@/lib/client/health-api";

const DOT: Record<Status, string> = { up: "bg-emerald-500", degraded: "bg-amber-500", down: "bg-red-600", unknown: "bg-slate-400" };

/** A status as a coloured badge with its word (colour is never the only signal). */
export function StatusBadge({ status }: { status: Status }) {
  return (
    <Badge tone={STATUS_TONE[status]}>
      <span aria-hidden className={`mr-1.5 inline-block h-2 w-2 rounded-full ${DOT[status]}`} />
      <span data-testid="status">{STATUS_LABEL[status]}</span>
    </Badge>
  );
}
