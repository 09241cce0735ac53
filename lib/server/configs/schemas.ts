import "server-only";
import { desc, eq } from "drizzle-orm";
import { schemaRevisions } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";

export type SchemaRevisionRow = typeof schemaRevisions.$inferSelect;

export async function currentSchema(db: DbOrTx, serviceId: string): Promise<SchemaRevisionRow | null> {
  const [row] = await db
    .select()
    .from(schemaRevisions)
    .where(eq(schemaRevisions.serviceId, serviceId))
    .orderBy(desc(schemaRevisions.number))
    .limit(1);
  return row ?? null;
}
