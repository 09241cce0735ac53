import "server-only";
import { openedDatabaseHandle } from "@/lib/db/client";

/**
 * Whether the database is known to be down right now (PostgreSQL only: the breaker in
 * lib/db/breaker.ts is open). For the console's outage banner; anyone signed in may know it.
 * Never opens the database, and answers at once.
 */
export async function databaseAvailability(): Promise<{ available: boolean }> {
  const opening = openedDatabaseHandle();
  const handle = opening ? await opening.catch(() => null) : null;
  return { available: handle?.breaker?.state !== "open" };
}
