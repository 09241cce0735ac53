import "server-only";
import { and, asc, gt, ilike, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { services } from "@/drizzle/schema";
import { authorize, reader, type UseCaseArgs } from "../context";

export const listServicesInput = z.object({
  q: z.string().trim().max(100).optional(),
  cursor: z.string().max(63).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Services by name, filtered by a search over name, description and owner, keyset-paged by name. */
export async function listServices({ principal, input, tx }: UseCaseArgs<z.input<typeof listServicesInput>>) {
  authorize(principal, "config:read");
  const q = listServicesInput.parse(input);
  const where: (SQL | undefined)[] = [];
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(services.name, like), ilike(services.description, like), ilike(services.owner, like)));
  }
  if (q.cursor) where.push(gt(services.name, q.cursor));
  const db = await reader(tx);
  const rows = await db
    .select()
    .from(services)
    .where(and(...where))
    .orderBy(asc(services.name))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((s) => ({
      name: s.name,
      description: s.description,
      owner: s.owner,
      tags: s.tags,
      updatedAt: s.updatedAt.toISOString(),
    })),
    nextCursor: rows.length > q.limit ? page[page.length - 1]!.name : null,
  };
}
