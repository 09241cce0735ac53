import "server-only";
import type { healthChecks } from "@/drizzle/schema";

type CheckRow = typeof healthChecks.$inferSelect;

/** What the API says about a check. The header value is never sent back: it may be a credential. */
export function checkView(c: CheckRow, service: string, environment: string) {
  return {
    id: c.id,
    service,
    environment,
    name: c.name,
    kind: c.kind,
    target: c.target,
    method: c.method,
    expectedStatusMin: c.expectedStatusMin,
    expectedStatusMax: c.expectedStatusMax,
    timeoutMs: c.timeoutMs,
    jsonPath: c.jsonPath,
    jsonExpected: c.jsonExpected,
    headerName: c.headerName,
    headerValueSet: c.headerValue != null,
    degradedMs: c.degradedMs,
    intervalSeconds: c.intervalSeconds,
    failureThreshold: c.failureThreshold,
    enabled: c.enabled,
    status: c.status,
    statusSince: c.statusSince.toISOString(),
    consecutiveFailures: c.consecutiveFailures,
    lastCheckedAt: c.lastCheckedAt?.toISOString() ?? null,
    lastLatencyMs: c.lastLatencyMs,
    lastError: c.lastError,
  };
}
export type CheckView = ReturnType<typeof checkView>;

/** The audit trail's picture of a check's settings: the header value redacted. */
export function auditSettings(c: Pick<CheckRow, "name" | "kind" | "target" | "method" | "expectedStatusMin" | "expectedStatusMax" | "timeoutMs" | "jsonPath" | "jsonExpected" | "headerName" | "headerValue" | "degradedMs" | "intervalSeconds" | "failureThreshold" | "enabled">) {
  const { headerValue, ...rest } = c;
  return { ...rest, headerValue: headerValue == null ? null : "[redacted]" };
}
