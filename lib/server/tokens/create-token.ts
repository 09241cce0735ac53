import "server-only";
import { apiTokens } from "@/drizzle/schema";
import { generateToken, hashToken } from "@/lib/domain/api-token";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { notifyTokensChanged } from "../events/notify";
import { createTokenInput, type CreateTokenInput, type TokenView } from "./token-schemas";
import { toTokenView } from "./token-view";

/** Creates a service-account token. The secret is in this answer and nowhere else, ever. */
export async function createToken({
  principal,
  input,
  meta,
  tx,
}: UseCaseArgs<CreateTokenInput>): Promise<{ token: string; metadata: TokenView }> {
  authorize(principal, "tokens:manage");
  const data = createTokenInput.parse(input);
  const { token, prefix } = generateToken();
  return withTransaction(tx, async (t) => {
    const [row] = await t
      .insert(apiTokens)
      .values({
        name: data.name,
        prefix,
        secretHash: hashToken(token),
        role: data.role,
        scopes: data.scopes,
        services: data.services,
        environments: data.environments,
        createdBy: principal.name,
        expiresAt: data.expiresInDays ? new Date(Date.now() + data.expiresInDays * 86_400_000) : null,
      })
      .returning();
    const metadata = toTokenView(row!);
    await recordAuditEvent(
      t,
      principal,
      { action: "token.created", targetType: "token", targetId: metadata.id, after: metadata },
      meta,
    );
    await notifyTokensChanged(t);
    return { token, metadata };
  });
}
