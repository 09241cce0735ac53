// Every react-query key of the console, in one place, so live events can invalidate exactly what changed.
export const queryKeys = {
  tokens: () => ["tokens"] as const,
  auditVerify: () => ["audit", "verify"] as const,
  /** Prefix of every change-request query: one invalidation after an action refreshes lists and pages. */
  changeRequests: () => ["change-requests"] as const,
  changeRequestList: (filter: string) => ["change-requests", "list", filter] as const,
  changeRequest: (id: string) => ["change-requests", "detail", id] as const,
  /** Prefix of every webhook query (endpoints and their delivery logs). */
  webhooks: () => ["webhooks"] as const,
  webhookDeliveries: (id: string, status: string) => ["webhooks", "deliveries", id, status] as const,
  /** Prefix of every drift query: a report or a remediation refreshes the board and the pages. */
  drift: () => ["drift"] as const,
  driftBoard: (status: string, q: string) => ["drift", "board", status, q] as const,
  driftDetail: (service: string, env: string) => ["drift", "detail", service, env] as const,
};
