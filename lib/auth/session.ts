import "server-only";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { authOptions, principalFromUser, type SessionUser } from "./auth-options";
import type { Principal } from "./permissions";

/** The signed-in person of this request, or null. */
export async function currentUser(): Promise<{ user: SessionUser; principal: Principal } | null> {
  const session = await getServerSession(authOptions());
  if (!session?.user?.id) return null;
  return { user: session.user, principal: principalFromUser(session.user) };
}

/** For pages: the signed-in principal, or a redirect to sign-in. */
export async function requireUser(): Promise<{ user: SessionUser; principal: Principal }> {
  const session = await currentUser();
  if (!session) redirect("/login");
  return session;
}
