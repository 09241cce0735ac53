import "server-only";
import { eq } from "drizzle-orm";
import { environments, healthAlertRules, healthChecks, services } from "@/drizzle/schema";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { SYSTEM, withTransaction } from "@/lib/server/context";
import type { Database, Transaction } from "./client";

/**
 * The demo's health checks, pointing at the stand-in endpoints that scripts/demo-services.ts serves
 * next to the console in demo mode (PORT+2 for HTTP; PORT+3 and PORT+4 stay closed and stand for
 * the analyses' failing PostgreSQL and Redis). They are part of the demo, not of the product.
 */
export const DEMO_HTTP_OFFSET = 2;
export const DEMO_CLOSED_OFFSETS = { postgres: 3, redis: 4 } as const;

export function demoPorts(port = Number(process.env.PORT ?? 3000)) {
  return { http: port + DEMO_HTTP_OFFSET, postgres: port + DEMO_CLOSED_OFFSETS.postgres, redis: port + DEMO_CLOSED_OFFSETS.redis };
}

type Row = { id: string; name: string };
const DEMO_AUTHOR = "Nexus demo";

/** The target of a demo check: the closed stand-in ports for postgres and redis, an HTTP endpoint for the rest. */
export function demoCheckTarget(service: string, env: string, ports = demoPorts()): string {
  if (service === "postgres" || service === "redis") return `127.0.0.1:${ports[service]}`;
  return `http://127.0.0.1:${ports.http}/${env}/${service}/health`;
}

export async function seedDemoHealth(t: Transaction, envs: Row[], svcs: (Row & { health?: string })[]) {
  const ports = demoPorts();
  const values = svcs.flatMap((svc) =>
    envs.map((env) => {
      const base = { serviceId: svc.id, environmentId: env.id, createdBy: DEMO_AUTHOR, timeoutMs: 5000, target: demoCheckTarget(svc.name, env.name, ports) };
      if (svc.name === "postgres" || svc.name === "redis") {
        return { ...base, name: "tcp", kind: "tcp" as const, intervalSeconds: 10, timeoutMs: 3000 };
      }
      return {
        ...base,
        name: "http",
        kind: "http" as const,
        jsonPath: "status",
        jsonExpected: "ok",
        degradedMs: 1000,
        intervalSeconds: svc.health === "down" ? 10 : 15,
      };
    }),
  );
  if (values.length > 0) await t.insert(healthChecks).values(values);
  const production = envs.find((e) => e.name === "production");
  await t.insert(healthAlertRules).values([
    { environmentId: null, onStatusChange: false, onIncident: true, suppressMinutes: 10, createdBy: DEMO_AUTHOR },
    ...(production ? [{ environmentId: production.id, onStatusChange: true, onIncident: true, suppressMinutes: 10, createdBy: DEMO_AUTHOR }] : []),
  ]);
}

/**
 * Demo mode, at every start: the demo's checks follow PORT. They were seeded with the ports of the
 * first start, so a later start on another PORT would see every check fail. Only checks still
 * shaped as seeded (same host and path, another port) move; one audited event says so.
 */
export async function followDemoPorts(db: Database, ports = demoPorts()): Promise<number> {
  return withTransaction(db, async (t) => {
    const rows = await t
      .select({ id: healthChecks.id, target: healthChecks.target, service: services.name, env: environments.name })
      .from(healthChecks)
      .innerJoin(services, eq(services.id, healthChecks.serviceId))
      .innerJoin(environments, eq(environments.id, healthChecks.environmentId))
      .where(eq(healthChecks.createdBy, DEMO_AUTHOR));
    const anyPort = (target: string) => target.replace(/^(http:\/\/)?127\.0\.0\.1:\d+/, "$1127.0.0.1:*");
    const moved = rows
      .map((r) => ({ ...r, want: demoCheckTarget(r.service, r.env, ports) }))
      .filter((r) => r.target !== r.want && anyPort(r.target) === anyPort(r.want));
    if (moved.length === 0) return 0;
    for (const r of moved) await t.update(healthChecks).set({ target: r.want, updatedAt: new Date() }).where(eq(healthChecks.id, r.id));
    await recordAuditEvent(t, SYSTEM, {
      action: "demo.health_checks_moved",
      targetType: "health_check",
      targetId: "demo",
      before: { targets: moved.slice(0, 3).map((r) => r.target), checks: moved.length },
      after: { targets: moved.slice(0, 3).map((r) => r.want), ports },
    });
    return moved.length;
  });
}
