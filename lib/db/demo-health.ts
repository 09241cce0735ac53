import "server-only";
import { healthAlertRules, healthChecks } from "@/drizzle/schema";
import type { Transaction } from "./client";

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

export async function seedDemoHealth(t: Transaction, envs: Row[], svcs: (Row & { health?: string })[]) {
  const ports = demoPorts();
  const values = svcs.flatMap((svc) =>
    envs.map((env) => {
      const base = { serviceId: svc.id, environmentId: env.id, createdBy: "Nexus demo", timeoutMs: 5000 };
      if (svc.name === "postgres" || svc.name === "redis") {
        return { ...base, name: "tcp", kind: "tcp" as const, target: `127.0.0.1:${ports[svc.name]}`, intervalSeconds: 10, timeoutMs: 3000 };
      }
      return {
        ...base,
        name: "http",
        kind: "http" as const,
        target: `http://127.0.0.1:${ports.http}/${env.name}/${svc.name}/health`,
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
    { environmentId: null, onStatusChange: false, onIncident: true, suppressMinutes: 10, createdBy: "Nexus demo" },
    ...(production ? [{ environmentId: production.id, onStatusChange: true, onIncident: true, suppressMinutes: 10, createdBy: "Nexus demo" }] : []),
  ]);
}
