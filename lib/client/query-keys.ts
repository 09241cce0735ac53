// Every react-query key of the console, in one place, so live events can invalidate exactly what changed.
export const queryKeys = {
  tokens: () => ["tokens"] as const,
  auditVerify: () => ["audit", "verify"] as const,
  /** Prefix of every change-request query: one invalidation after an action refreshes lists and pages. */
  changeRequests: () => ["change-requests"] as const,
  changeRequestList: (filter: string) => ["change-requests", "list", filter] as const,
  changeRequest: (id: string) => ["change-requests", "detail", id] as const,
};
