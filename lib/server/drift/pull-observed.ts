import "server-only";
import { and, asc, eq, isNotNull, lte, sql } from "drizzle-orm";
import { driftTargets, environments, services } from "@/drizzle/schema";
import { parseConfigSource } from "@/lib/domain/parse-config-source";
import { decryptSecret } from "@/lib/domain/secret-crypto";
import { getDb } from "@/lib/db/client";
import { log } from "@/lib/log";
import { SYSTEM, withTransaction } from "../context";
import { masterKey } from "../secrets/master-key";
import { pullAad } from "./configure-drift";
import { observedFormatOf } from "./observed-format";
import { recordObservation } from "./report-observed";

const PULL_TIMEOUT_MS = 10_000;
const MAX_PULL_BYTES = 1024 * 1024;
const PULLER = { ...SYSTEM, name: "drift pull" };

/**
 * Job: fetches the observed config of every pull target that is due. Each target is claimed by
 * moving its next_pull_at on in a short transaction (FOR UPDATE SKIP LOCKED), so several
 * instances never pull the same target in one interval; the fetch itself runs outside it.
 */
export async function pullDueTargets(now = new Date()): Promise<number> {
  const db = await getDb();
  const due = await db.transaction(async (t) => {
    const rows = await t
      .select({ serviceId: driftTargets.serviceId, environmentId: driftTargets.environmentId, url: driftTargets.pullUrl, sealed: driftTargets.pullAuthSealed, interval: driftTargets.pullIntervalSeconds })
      .from(driftTargets)
      .where(and(isNotNull(driftTargets.pullUrl), lte(driftTargets.nextPullAt, now)))
      .orderBy(asc(driftTargets.nextPullAt))
      .limit(50)
      .for("update", { skipLocked: true });
    for (const r of rows) {
      await t
        .update(driftTargets)
        .set({ nextPullAt: sql`now() + make_interval(secs => ${r.interval})`, lastPullAt: now })
        .where(and(eq(driftTargets.serviceId, r.serviceId), eq(driftTargets.environmentId, r.environmentId)));
    }
    return rows;
  });
  let pulled = 0;
  for (const r of due) {
    let error: string | null = null;
    try {
      const headers: Record<string, string> = { accept: "application/json, application/yaml;q=0.9, text/x-dotenv;q=0.8", "user-agent": "nexus-drift" };
      if (r.sealed) headers.authorization = decryptSecret(masterKey(), r.sealed, pullAad(r.serviceId, r.environmentId));
      const res = await fetch(r.url!, { headers, signal: AbortSignal.timeout(PULL_TIMEOUT_MS), redirect: "manual" });
      const text = await res.text();
      if (!res.ok) throw new Error(`${r.url} answered ${res.status}`);
      if (Buffer.byteLength(text) > MAX_PULL_BYTES) throw new Error(`${r.url} sent more than 1 MiB`);
      const format = observedFormatOf(res.headers.get("content-type") ?? "application/json", null);
      const parsed = parseConfigSource(text, format);
      if (!parsed.ok) throw new Error(`${r.url} sent ${format} that does not parse: ${parsed.errors[0]?.message ?? parsed.kind}`);
      await withTransaction(undefined, async (t) => {
        const [service] = await t.select().from(services).where(eq(services.id, r.serviceId));
        const [environment] = await t.select().from(environments).where(eq(environments.id, r.environmentId));
        await recordObservation(t, PULLER, { service: service!, environment: environment!, value: parsed.value, source: "pull" });
      });
      pulled += 1;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      log.warn({ url: r.url, error }, "drift pull failed");
    }
    await db.update(driftTargets).set({ lastPullError: error?.slice(0, 1000) ?? null }).where(and(eq(driftTargets.serviceId, r.serviceId), eq(driftTargets.environmentId, r.environmentId)));
  }
  return pulled;
}
