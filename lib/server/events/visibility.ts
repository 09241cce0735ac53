import "server-only";
import { can, type Permission, type Principal } from "@/lib/auth/permissions";

/** One row of the outbox, as live updates and their replay hand it on. */
export interface OutboxEvent {
  id: number;
  type: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

// The read permission each event family needs: the same one that reads the thing it is about.
// Secret events carry names and versions only, which config:read already lists.
const AREAS: readonly [prefix: string, permission: Permission][] = [
  ["config.", "config:read"],
  ["secret.", "config:read"],
  ["change_request.", "changes:read"],
  ["drift.", "drift:read"],
  ["health.", "health:read"],
];

export function eventPermission(type: string): Permission | null {
  return AREAS.find(([prefix]) => type.startsWith(prefix))?.[1] ?? null;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** The services an event is about: `services` (a change request over several) or `service`; none: every service. */
export function servicesOf(payload: Record<string, unknown>): string[] {
  if (Array.isArray(payload.services)) {
    const names = payload.services.map(str).filter((s): s is string => s !== null);
    if (names.length > 0) return names;
  }
  const one = str(payload.service);
  return one ? [one] : [];
}

/**
 * Whether a principal may be told about an event: the area's read permission, for the event's
 * environment (env-scoped roles, token environment scopes) and for every service it names (token
 * service scopes). Default deny: an event family not listed here reaches nobody but the system.
 */
export function visibleTo(principal: Principal, event: Pick<OutboxEvent, "type" | "payload">): boolean {
  const permission = eventPermission(event.type);
  if (!permission) return principal.kind === "system";
  const environment = str(event.payload.environment);
  const services = servicesOf(event.payload);
  if (services.length === 0) return can(principal, permission, { environment });
  return services.every((service) => can(principal, permission, { service, environment }));
}
