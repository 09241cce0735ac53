import "server-only";
import { getDb, ping } from "@/lib/db/client";
import { pendingMigrations } from "@/lib/db/migrate";

export type Readiness = { ready: true } | { ready: false; reason: string };

// Shorter than the driver's connect timeout (2 s), so that a probe fails fast with its own reason.
const TIMEOUT_MS = 1000;

/** Ready when the database answers within 1 s and every shipped migration is applied. */
export async function checkReadiness(): Promise<Readiness> {
  const attempt = (async (): Promise<Readiness> => {
    const db = await getDb();
    await ping(db);
    const pending = await pendingMigrations(db);
    return pending === 0 ? { ready: true } : { ready: false, reason: `${pending} migration(s) not applied` };
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, reason: "the database did not answer within 1 s" }), TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      attempt.catch((e: unknown) => ({ ready: false as const, reason: `database unreachable: ${describe(e)}` })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(e: unknown): string {
  // drizzle wraps driver errors as "Failed query: …"; the cause says why (ECONNREFUSED, closed).
  let cause = e;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  const msg = cause instanceof Error ? cause.message : String(cause);
  // A connection string can carry a password; never echo one back.
  return msg.replace(/postgres(?:ql)?:\/\/[^\s]+/g, "postgres://…").slice(0, 200);
}
