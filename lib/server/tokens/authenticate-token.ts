import "server-only";
import { eq } from "drizzle-orm";
import { apiTokens } from "@/drizzle/schema";
import type { Principal, TokenScope } from "@/lib/auth/permissions";
import { hashToken, isWellFormedToken } from "@/lib/domain/api-token";
import { reader } from "../context";
import { ServiceError } from "../errors";
import type { DbOrTx } from "@/lib/db/client";

const LAST_USED_EVERY_MS = 60_000; // at most one write per token per minute for "last used"

/** Turns a bearer value into the token's principal, or says plainly why it cannot. */
export async function authenticateToken(bearer: string, tx?: DbOrTx): Promise<Principal> {
  if (!isWellFormedToken(bearer)) {
    throw new ServiceError("unauthenticated", "The bearer token is malformed; tokens look like nxs_XXXXXXXX_…");
  }
  const db = await reader(tx);
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.secretHash, hashToken(bearer)));
  if (!row) throw new ServiceError("unauthenticated", "The bearer token is not known to Nexus.");
  const now = new Date();
  if (row.revokedAt) throw new ServiceError("unauthenticated", `The token ${row.prefix} was revoked.`);
  if (row.expiresAt && row.expiresAt <= now) {
    throw new ServiceError("unauthenticated", `The token ${row.prefix} expired at ${row.expiresAt.toISOString()}.`);
  }
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
  }
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
