import "server-only";
import { z } from "zod";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { resourceName } from "../tokens/token-schemas";

export const secretsDeliveryInput = z.object({
  service: resourceName,
  env: resourceName,
  /** The ETag of the resolved config that carried the values. */
  etag: z.string().min(1).max(100),
  secrets: z.array(resourceName).min(1).max(1000),
});

/**
 * Records that a resolved config carrying secret values went to an API token (PRODUCT.md: secrets
 * are "revealed only with the permission and always audited"). Names and the config's ETag, never
 * values. lib/server/delivery/secret-deliveries.ts calls it once per token and content.
 */
export async function recordSecretsDelivery({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof secretsDeliveryInput>>) {
  const q = secretsDeliveryInput.parse(input);
  authorize(principal, "secrets:read", { service: q.service, environment: q.env });
  await withTransaction(tx, (t) =>
    recordAuditEvent(
      t,
      principal,
      {
        action: "secrets.delivered",
        targetType: "config",
        targetId: `${q.service}/${q.env}`,
        service: q.service,
        environment: q.env,
        after: { etag: q.etag, secrets: q.secrets },
      },
      meta,
    ),
  );
}
