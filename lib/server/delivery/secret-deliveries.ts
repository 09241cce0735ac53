import "server-only";
import type { Principal } from "@/lib/auth/permissions";
import { deliveredSecretNames } from "../configs/get-resolved-config";
import type { RequestMeta } from "../context";
import { recordSecretsDelivery } from "../secrets/record-secrets-delivery";

export interface SecretsDelivery {
  service: string;
  env: string;
  etag: string;
  /** Names of the secrets whose values the config carries. */
  secrets: string[];
}

const LIMIT = 50_000;

/**
 * The audit of secret values delivered in resolved configs. A service polls its config every few
 * seconds: one `secrets.delivered` event per token and content (ETag) is what an auditor can use,
 * one per read would drown the trail. The first delivery of a content to a token waits for its
 * event to commit (no event, no values: a failure answers the request with the error); later ones
 * are answered at once. Remembered per process, so a restart or another instance records a
 * delivery again.
 */
export class SecretDeliveries {
  private readonly audited = new Map<string, true | Promise<void>>();

  constructor(private readonly record: typeof recordSecretsDelivery = recordSecretsDelivery) {}

  /** Null when this delivery is on the audit trail already; else a promise settled once it is. */
  ensure(principal: Principal, d: SecretsDelivery, meta: RequestMeta): Promise<void> | null {
    if (d.secrets.length === 0) return null;
    const key = `${principal.kind}:${principal.id}|${d.service}|${d.env}|${d.etag}`;
    const known = this.audited.get(key);
    if (known === true) return null;
    if (known !== undefined) return known;
    const pending = this.record({ principal, input: d, meta }).then(
      () => {
        this.remember(key);
      },
      (err: unknown) => {
        this.audited.delete(key);
        throw err;
      },
    );
    this.audited.set(key, pending);
    return pending;
  }

  private remember(key: string) {
    this.audited.delete(key);
    this.audited.set(key, true);
    // Oldest first (insertion order): forgetting one only means it is recorded again.
    if (this.audited.size > LIMIT) this.audited.delete(this.audited.keys().next().value!);
  }
}

/** One ledger per process, shared by the custom server's fast path and Next's routes. */
export function secretDeliveries(): SecretDeliveries {
  const g = globalThis as unknown as { __nexusSecretDeliveries?: SecretDeliveries };
  return (g.__nexusSecretDeliveries ??= new SecretDeliveries());
}

/**
 * For Next's routes (reads the fast path does not take): records the delivery of a resolved
 * config's secret values to `principal` before the values are sent, unless nothing is sent (304).
 */
export async function auditSecretsDelivery(
  principal: Principal,
  r: { service: string; env: string; etag: string; secretsMasked: boolean; secretPaths: string[]; provenance: Record<string, { via?: string }> },
  meta: RequestMeta,
  sendsBody = true,
): Promise<void> {
  const secrets = deliveredSecretNames(r);
  if (!sendsBody || secrets.length === 0) return;
  await secretDeliveries().ensure(principal, { service: r.service, env: r.env, etag: r.etag, secrets }, meta);
}
