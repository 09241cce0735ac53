import "server-only";
import { and, desc, eq, inArray, isNull, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { environments, healthChecks, healthIncidents, services } from "@/drizzle/schema";
import { authorize, reader, type UseCaseArgs } from "../context";
import { resourceName } from "../tokens/token-schemas";
import { readableEnvironments } from "./visible";

export const listIncidentsInput = z.object({
  service: resourceName.optional(),
  env: resourceName.optional(),
  state: z.enum(["open", "all"]).default("all"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^\d{13}_[0-9a-f-]{36}$/, "cursor must come from a previous page's nextCursor").optional(),
});

/** Incidents, newest first, with their duration (open ones: so far); keyset cursor on (opened_at, id). */
export async function listIncidents({ principal, input, tx }: UseCaseArgs<z.input<typeof listIncidentsInput>>, now = new Date()) {
  const q = listIncidentsInput.parse(input);
  authorize(principal, "health:read", { service: q.service, environment: q.env });
  const db = await reader(tx);
  const envs = (await readableEnvironments(db, principal)).filter((e) => !q.env || e.name === q.env);
  if (envs.length === 0) return { items: [], nextCursor: null };
  const where: SQL[] = [inArray(healthIncidents.environmentId, envs.map((e) => e.id))];
  if (q.service) where.push(eq(services.name, q.service));
  if (q.state === "open") where.push(isNull(healthIncidents.closedAt));
  if (q.cursor) {
    const [ms, id] = q.cursor.split("_") as [string, string];
    const at = new Date(Number(ms));
    where.push(or(lt(healthIncidents.openedAt, at), and(eq(healthIncidents.openedAt, at), lt(healthIncidents.id, id)))!);
  }
  const rows = await db
    .select({ incident: healthIncidents, service: services.name, environment: environments.name, check: healthChecks.name })
    .from(healthIncidents)
    .innerJoin(services, eq(services.id, healthIncidents.serviceId))
    .innerJoin(environments, eq(environments.id, healthIncidents.environmentId))
    .innerJoin(healthChecks, eq(healthChecks.id, healthIncidents.checkId))
    .where(and(...where))
    .orderBy(desc(healthIncidents.openedAt), desc(healthIncidents.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ incident: i, service, environment, check }) => ({
      id: i.id,
      service,
      environment,
      check,
      openedAt: i.openedAt.toISOString(),
      closedAt: i.closedAt?.toISOString() ?? null,
      durationMs: (i.closedAt ?? now).getTime() - i.openedAt.getTime(),
      failures: i.failures,
      lastError: i.lastError,
    })),
    nextCursor: rows.length > q.limit && last ? `${last.incident.openedAt.getTime()}_${last.incident.id}` : null,
  };
}
export type IncidentItem = Awaited<ReturnType<typeof listIncidents>>["items"][number];
