import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { driftStatus, observedConfigs } from "@/drizzle/schema";
import { can } from "@/lib/auth/permissions";
import type { ConfigObject } from "@/lib/domain/config-value";
import { diffConfigs, maskDiff, MASK, type DiffEntry } from "@/lib/domain/diff-configs";
import { diffDrift, type DriftEntry } from "@/lib/domain/drift";
import { isUnder } from "@/lib/domain/pointer";
import type { Provenance } from "@/lib/domain/resolve-config";
import type { DbOrTx } from "@/lib/db/client";
import { authorize, reader, type UseCaseArgs } from "../context";
import { resourceName } from "../tokens/token-schemas";
import { getResolvedConfig } from "./get-resolved-config";
import { findEnvironment, findService } from "./lookup";

export const compareEnvironmentsInput = z.object({ service: resourceName, from: resourceName, to: resourceName });

export type DiffCause = "overlay" | "variable" | "secret" | "template";

/**
 * Why a path differs between two environments' resolved configs. Shared template and base layer
 * are the same everywhere, so a difference comes from an environment overlay, a variable, a secret,
 * or a template that names the environment (${env.name}): all of them by design.
 */
function causeOf(path: string, ...provenances: Record<string, Provenance>[]): DiffCause {
  const found: Provenance[] = [];
  for (const p of provenances) for (const [k, v] of Object.entries(p)) if (isUnder(k, path)) found.push(v);
  if (found.some((f) => f.layer === "overlay")) return "overlay";
  if (found.some((f) => f.layer === "secret")) return "secret";
  if (found.some((f) => f.layer === "variable")) return "variable";
  return "template";
}

/**
 * The resolved diff of a service between two environments, secrets masked, each difference with
 * its cause. When both environments report what they run (and the caller may read drift), also the
 * difference between the running configs, each marked expected (both run what the SSOT says there)
 * or not (at least one of them drifted at that path).
 */
export async function compareEnvironments({ principal, input, tx }: UseCaseArgs<z.input<typeof compareEnvironmentsInput>>) {
  const q = compareEnvironmentsInput.parse(input);
  authorize(principal, "config:read", { service: q.service });
  const a = await getResolvedConfig({ principal, input: { service: q.service, env: q.from }, tx });
  const b = await getResolvedConfig({ principal, input: { service: q.service, env: q.to }, tx });
  const changes = maskDiff(diffConfigs(a.value, b.value), [...new Set([...a.secretPaths, ...b.secretPaths])]).map((c) => ({
    ...c,
    cause: causeOf(c.path, a.provenance, b.provenance),
    byDesign: true,
  }));
  const mayReadDrift = can(principal, "drift:read", { service: q.service, environment: q.from }) && can(principal, "drift:read", { service: q.service, environment: q.to });
  const observed = mayReadDrift ? await compareObserved(await reader(tx), q) : null;
  return { service: q.service, from: q.from, to: q.to, changes, observed };
}

async function compareObserved(db: DbOrTx, q: { service: string; from: string; to: string }) {
  const service = await findService(db, q.service);
  const sides = await Promise.all(
    [q.from, q.to].map(async (name) => {
      const env = await findEnvironment(db, name);
      const where = (t: typeof observedConfigs | typeof driftStatus) => and(eq(t.serviceId, service.id), eq(t.environmentId, env.id));
      const [o] = await db.select().from(observedConfigs).where(where(observedConfigs));
      const [s] = await db.select({ paths: driftStatus.paths }).from(driftStatus).where(where(driftStatus));
      return { o, drifted: ((s?.paths ?? []) as DriftEntry[]).map((e) => e.path) };
    }),
  );
  const [from, to] = sides as [(typeof sides)[number], (typeof sides)[number]];
  if (!from.o || !to.o) return { reported: { [q.from]: Boolean(from.o), [q.to]: Boolean(to.o) }, changes: [] };
  // Secrets are stored as keyed hashes: compared as such, shown masked.
  const entries = diffDrift({
    desired: from.o.value as ConfigObject,
    observed: to.o.value as ConfigObject,
    secretPaths: [...new Set([...from.o.hashedPaths, ...to.o.hashedPaths])],
  });
  const drifted = [...from.drifted, ...to.drifted];
  const changes = entries.map((e) => {
    const kind: DiffEntry["kind"] = e.kind === "missing" ? "removed" : e.kind === "unexpected" ? "added" : "changed";
    const entry: DiffEntry = { path: e.path, kind };
    if (e.kind !== "unexpected") entry.before = e.secret ? MASK : e.expected;
    if (e.kind !== "missing") entry.after = e.secret ? MASK : e.observed;
    return { ...entry, expected: !drifted.some((d) => isUnder(d, e.path) || isUnder(e.path, d)) };
  });
  return { reported: { [q.from]: true, [q.to]: true }, reportedAt: { [q.from]: from.o.reportedAt.toISOString(), [q.to]: to.o.reportedAt.toISOString() }, changes };
}
