/** Names of services, environments and secrets: safe in URLs, DNS labels and Kubernetes object names. */
export const NAME_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function isValidName(s: unknown): s is string {
  return typeof s === "string" && NAME_RE.test(s);
}

/** The largest value of a PostgreSQL integer column (revision numbers, versions, cursors). */
export const MAX_INT = 2_147_483_647;
