import "server-only";
import { eq } from "drizzle-orm";
import { apiTokens } from "@/drizzle/schema";
import { hashToken, isWellFormedToken } from "@/lib/domain/api-token";
import { recordAuditEvent } from "../audit/record-audit-event";
import { SYSTEM, withTransaction } from "../context";
import { ServiceError } from "../errors";
import { notifyTokensChanged } from "../events/notify";

/**
 * NEXUS_BOOTSTRAP_TOKEN lets automation start without a browser: an admin token with that secret
 * is made to exist at start. A token someone revoked stays revoked.
 */
export async function ensureBootstrapToken(secret: string): Promise<"created" | "exists" | "revoked"> {
  if (!isWellFormedToken(secret)) {
    throw new ServiceError("invalid", "NEXUS_BOOTSTRAP_TOKEN must be 24 to 256 characters of A-Z a-z 0-9 _ . ~ -");
  }
  const secretHash = hashToken(secret);
  return withTransaction(undefined, async (t) => {
    const [row] = await t.select().from(apiTokens).where(eq(apiTokens.secretHash, secretHash));
    if (row) return row.revokedAt ? "revoked" : "exists";
    const [created] = await t
      .insert(apiTokens)
      .values({
        name: "bootstrap",
        prefix: "bootstrp", // no part of an operator-chosen secret is kept in clear
        secretHash,
        role: "admin",
        scopes: ["admin"],
        createdBy: SYSTEM.name,
      })
      .returning({ id: apiTokens.id });
    await recordAuditEvent(t, SYSTEM, {
      action: "token.created",
      targetType: "token",
      targetId: created!.id,
      after: { name: "bootstrap", role: "admin", scopes: ["admin"], source: "NEXUS_BOOTSTRAP_TOKEN" },
    });
    await notifyTokensChanged(t);
    return "created";
  });
}
