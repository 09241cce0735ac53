// Every react-query key of the console, in one place, so live events can invalidate exactly what changed.
export const queryKeys = {
  tokens: () => ["tokens"] as const,
  auditVerify: () => ["audit", "verify"] as const,
};
