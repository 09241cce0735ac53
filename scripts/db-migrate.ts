// npm run db:migrate — applies drizzle/migrations to DATABASE_URL, or to the embedded database.
import { getDatabaseHandle } from "@/lib/db/client";
import { pendingMigrations, runMigrations } from "@/lib/db/migrate";

const handle = await getDatabaseHandle();
const before = await pendingMigrations(handle.db).catch(() => null);
await runMigrations(handle);
console.log(`Migrations applied (${before ?? "all"} pending before, ${await pendingMigrations(handle.db)} now) on ${handle.kind}.`);
await handle.close();
