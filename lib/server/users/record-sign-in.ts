import "server-only";
import { eq } from "drizzle-orm";
import { users } from "@/drizzle/schema";
import type { Principal } from "@/lib/auth/permissions";
import { recordAuditEvent } from "../audit/record-audit-event";
import { withTransaction, type RequestMeta } from "../context";

export interface SignInProfile {
  id: string;
  login: string;
  name: string;
  email: string | null;
  groups: string[];
}

/** Keeps the person's name for the audit trail and records the sign-in itself. */
export async function recordSignIn(principal: Principal, profile: SignInProfile, meta?: RequestMeta) {
  await withTransaction(undefined, async (t) => {
    const [before] = await t.select().from(users).where(eq(users.id, profile.id));
    const values = { ...profile, lastSignInAt: new Date() };
    await t.insert(users).values(values).onConflictDoUpdate({ target: users.id, set: values });
    await recordAuditEvent(
      t,
      principal,
      {
        action: "user.signed_in",
        targetType: "user",
        targetId: profile.id,
        before: before ? { groups: before.groups, name: before.name } : null,
        after: { login: profile.login, groups: profile.groups, roles: principal.roles },
      },
      meta,
    );
  });
}
