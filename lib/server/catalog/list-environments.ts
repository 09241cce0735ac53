import "server-only";
import { asc } from "drizzle-orm";
import { environments } from "@/drizzle/schema";
import { authorize, reader, type UseCaseArgs } from "../context";

/** The pipeline, in promotion order. */
export async function listEnvironments({ principal, tx }: UseCaseArgs<void>) {
  authorize(principal, "config:read");
  const db = await reader(tx);
  const rows = await db.select().from(environments).orderBy(asc(environments.position));
  return rows.map((e) => ({
    name: e.name,
    position: e.position,
    protected: e.protected,
    requiredApprovals: e.requiredApprovals,
    approverRoles: e.approverRoles,
    allowBypass: e.allowBypass,
    soakMinutes: e.soakMinutes,
  }));
}
