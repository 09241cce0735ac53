import "server-only";
import { desc } from "drizzle-orm";
import { apiTokens } from "@/drizzle/schema";
import { authorize, reader, type UseCaseArgs } from "../context";
import { toTokenView } from "./token-view";

export async function listTokens({ principal, tx }: UseCaseArgs<void>) {
  authorize(principal, "tokens:manage");
  const db = await reader(tx);
  const rows = await db.select().from(apiTokens).orderBy(desc(apiTokens.createdAt)).limit(1000);
  const now = new Date();
  return rows.map((r) => toTokenView(r, now));
}
