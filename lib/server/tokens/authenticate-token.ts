import "server-only";
import { eq } from "drizzle-orm";
import { apiTokens } from "@/drizzle/schema";
import type { Principal } from "@/lib/auth/permissions";
import { hashToken, isWellFormedToken } from "@/lib/domain/api-token";
import { reader } from "../context";
import type { DbOrTx } from "@/lib/db/client";
import { LAST_USED_EVERY_MS, malformedToken, tokenPrincipal, tokenRefusal, unknownToken } from "./token-principal";

/** Turns a bearer value into the token's principal, or says plainly why it cannot. */
export async function authenticateToken(bearer: string, tx?: DbOrTx): Promise<Principal> {
  if (!isWellFormedToken(bearer)) throw malformedToken();
  const db = await reader(tx);
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.secretHash, hashToken(bearer)));
  if (!row) throw unknownToken();
  const now = new Date();
  const refusal = tokenRefusal(row, now.getTime());
  if (refusal) throw refusal;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
  }
  return tokenPrincipal(row);
}
