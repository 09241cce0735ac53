import "server-only";
import type { apiTokens } from "@/drizzle/schema";
import type { Principal, TokenScope } from "@/lib/auth/permissions";
import { ServiceError } from "../errors";

// Shared by authenticateToken (route handlers) and the delivery fast path's in-memory token map,
// so that a bearer token means the same principal, and is refused for the same reasons, on both.

export type TokenRow = typeof apiTokens.$inferSelect;

export const LAST_USED_EVERY_MS = 60_000; // at most one write per token per minute for "last used"

export const malformedToken = () =>
  new ServiceError("unauthenticated", "The bearer token is malformed; tokens look like nxs_XXXXXXXX_…");

export const unknownToken = () => new ServiceError("unauthenticated", "The bearer token is not known to Nexus.");

/** Why a known token may not be used at `nowMs`, or null when it may. */
export function tokenRefusal(
  row: Pick<TokenRow, "prefix" | "revokedAt" | "expiresAt">,
  nowMs: number,
): ServiceError | null {
  if (row.revokedAt) return new ServiceError("unauthenticated", `The token ${row.prefix} was revoked.`);
  if (row.expiresAt && row.expiresAt.getTime() <= nowMs) {
    return new ServiceError("unauthenticated", `The token ${row.prefix} expired at ${row.expiresAt.toISOString()}.`);
  }
  return null;
}

export function tokenPrincipal(row: TokenRow): Principal {
  return {
    id: `token:${row.id}`,
    kind: "token",
    name: `token ${row.name} (${row.prefix})`,
    roles: [{ role: row.role, environments: row.environments ?? null }],
    scopes: row.scopes as TokenScope[],
    services: row.services ?? null,
    environments: row.environments ?? null,
  };
}
