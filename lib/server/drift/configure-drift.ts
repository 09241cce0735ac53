import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { driftSettings, driftStatus, driftTargets } from "@/drizzle/schema";
import { encryptSecret } from "@/lib/domain/secret-crypto";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize, withTransaction, type UseCaseArgs } from "../context";
import { findEnvironment } from "../configs/lookup";
import { resourceName } from "../tokens/token-schemas";
import { masterKey } from "../secrets/master-key";
import { loadPair } from "./load-pair";
import { markDriftDirty } from "./scan";

const httpUrl = z
  .url("give a full http(s) URL")
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), "only http and https URLs");

export const setDriftTargetInput = z.object({
  service: resourceName,
  env: resourceName,
  pullUrl: httpUrl.nullable().default(null),
  /** The Authorization header value sent with the pull (e.g. "Bearer …"); null keeps none; undefined keeps the current one. */
  pullAuthorization: z.string().max(4000).nullable().optional(),
  pullIntervalSeconds: z.number().int().min(15).max(86_400).default(300),
  deployHookUrl: httpUrl.nullable().default(null),
});

export const pullAad = (serviceId: string, environmentId: string) => `nexus-drift-pull/${serviceId}/${environmentId}`;

/** Where Nexus pulls a pair's observed config from and which deploy hook re-applies it. */
export async function setDriftTarget({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof setDriftTargetInput>>) {
  const q = setDriftTargetInput.parse(input);
  authorize(principal, "services:manage", { service: q.service, environment: q.env });
  return withTransaction(tx, async (t) => {
    const p = await loadPair(t, q.service, q.env);
    const [before] = await t.select().from(driftTargets).where(and(eq(driftTargets.serviceId, p.service.id), eq(driftTargets.environmentId, p.environment.id)));
    const sealed =
      q.pullAuthorization === undefined ? (before?.pullAuthSealed ?? null) : q.pullAuthorization === null ? null : encryptSecret(masterKey(), q.pullAuthorization, pullAad(p.service.id, p.environment.id));
    const values = {
      pullUrl: q.pullUrl,
      pullAuthSealed: sealed,
      pullIntervalSeconds: q.pullIntervalSeconds,
      nextPullAt: q.pullUrl ? new Date() : null,
      deployHookUrl: q.deployHookUrl,
      updatedBy: principal.name,
      updatedAt: new Date(),
    };
    await t.insert(driftTargets).values({ ...p.pair, ...values }).onConflictDoUpdate({ target: [driftTargets.serviceId, driftTargets.environmentId], set: values });
    await t.insert(driftStatus).values({ ...p.pair, status: "unknown" }).onConflictDoNothing();
    // The header is a credential: the audit says whether there is one, never what it is.
    const view = (r: { pullUrl: string | null; pullAuthSealed: string | null; pullIntervalSeconds: number; deployHookUrl: string | null } | undefined) =>
      r ? { pullUrl: r.pullUrl, pullAuthorization: r.pullAuthSealed ? "set" : "none", pullIntervalSeconds: r.pullIntervalSeconds, deployHookUrl: r.deployHookUrl } : null;
    await recordAuditEvent(t, principal, { action: "drift.target_set", targetType: "drift_target", targetId: `${q.service}/${q.env}`, service: q.service, environment: q.env, before: view(before), after: view(values) }, meta);
    return { service: q.service, env: q.env, ...view(values)! };
  });
}

export const setDriftSettingsInput = z.object({
  env: resourceName,
  staleAfterSeconds: z.number().int().min(60).max(30 * 86_400),
  rolloutDeadlineSeconds: z.number().int().min(0).max(7 * 86_400),
  autoRemediate: z.boolean(),
});

/** An environment's drift settings: staleness window, rollout deadline, automatic remediation (off by default). */
export async function setDriftSettings({ principal, input, meta, tx }: UseCaseArgs<z.input<typeof setDriftSettingsInput>>) {
  const q = setDriftSettingsInput.parse(input);
  authorize(principal, "settings:manage", { environment: q.env });
  return withTransaction(tx, async (t) => {
    const env = await findEnvironment(t, q.env);
    const [before] = await t.select().from(driftSettings).where(eq(driftSettings.environmentId, env.id));
    const values = { staleAfterSeconds: q.staleAfterSeconds, rolloutDeadlineSeconds: q.rolloutDeadlineSeconds, autoRemediate: q.autoRemediate, updatedBy: principal.name, updatedAt: sql`now()` };
    await t.insert(driftSettings).values({ environmentId: env.id, ...values }).onConflictDoUpdate({ target: driftSettings.environmentId, set: values });
    await markDriftDirty(t, { environmentId: env.id });
    const view = (r?: { staleAfterSeconds: number; rolloutDeadlineSeconds: number; autoRemediate: boolean }) => (r ? { staleAfterSeconds: r.staleAfterSeconds, rolloutDeadlineSeconds: r.rolloutDeadlineSeconds, autoRemediate: r.autoRemediate } : null);
    await recordAuditEvent(t, principal, { action: "drift.settings_changed", targetType: "environment", targetId: env.id, environment: env.name, before: view(before), after: view(q) }, meta);
    return { env: env.name, ...view(q)! };
  });
}
