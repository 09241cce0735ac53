import "server-only";
import type { apiTokens } from "@/drizzle/schema";
import { tokenView, type TokenView } from "./token-schemas";

export function toTokenView(row: typeof apiTokens.$inferSelect, now = new Date()): TokenView {
  return tokenView.parse({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    scopes: row.scopes,
    services: row.services ?? null,
    environments: row.environments ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    status: row.revokedAt ? "revoked" : row.expiresAt && row.expiresAt <= now ? "expired" : "active",
  });
}
