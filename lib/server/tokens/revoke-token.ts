import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { apiTokens } from "@/drizzle/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { notFound, ServiceError } from "../errors";
import { notifyTokensChanged } from "../events/notify";
import { toTokenView } from "./token-view";

const revokeTokenInput = z.object({ id: z.uuid("token ids are UUIDs") });

export async function revokeToken({ principal, input, meta, tx }: UseCaseArgs<{ id: string }>) {
  authorize(principal, "tokens:manage");
  const { id } = revokeTokenInput.parse(input);
  return withTransaction(tx, async (t) => {
    const [row] = await t.select().from(apiTokens).where(eq(apiTokens.id, id)).for("update");
    if (!row) throw notFound(`token ${id}`);
    if (row.revokedAt) {
      throw new ServiceError("conflict", `token ${row.name} was already revoked at ${row.revokedAt.toISOString()}`);
    }
    const [updated] = await t
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(eq(apiTokens.id, id))
      .returning();
    const after = toTokenView(updated!);
    await recordAuditEvent(
      t,
      principal,
      { action: "token.revoked", targetType: "token", targetId: id, before: toTokenView(row), after },
      meta,
    );
    // Token caches of every instance drop the token once this commits.
    await notifyTokensChanged(t);
    return after;
  });
}
