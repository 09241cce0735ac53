import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { LiveStatus } from "@/components/shell/live-status";
import { Sidebar } from "@/components/shell/sidebar";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { Badge } from "@/components/ui/badge";
import { primaryRole } from "@/lib/auth/permissions";
import { currentUser } from "@/lib/auth/session";
import { isDemoIdentity, usesEmbeddedDatabase } from "@/lib/config/settings";
import { countAwaitingDecision } from "@/lib/server/promotions/list-change-requests";
import { databaseAvailability } from "@/lib/server/system/database-availability";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await currentUser();
  if (!session) redirect("/login");
  const role = primaryRole(session.principal);
  // The nav badge: requests this person may still approve. The shell must render even if it fails.
  const awaiting = await countAwaitingDecision({ principal: session.principal, input: undefined }).catch(() => 0);
  const scoped = session.principal.roles.filter((r) => r.environments).flatMap((r) => r.environments ?? []);
  const { available } = await databaseAvailability();

  return (
    <div className="flex min-h-screen">
      <aside className="hidden w-56 shrink-0 flex-col bg-slate-900 py-5 md:flex">
        <Link href="/" className="mb-6 px-6 text-lg font-semibold tracking-tight text-white">
          Nexus <span className="text-xs font-normal text-slate-400">SSOT</span>
        </Link>
        <Sidebar badges={{ "/promotions": awaiting }} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        {isDemoIdentity() ? (
          <div role="note" className="bg-amber-100 px-6 py-1.5 text-center text-xs font-medium text-amber-900">
            Demo mode — {usesEmbeddedDatabase() ? "embedded database and " : ""}bundled identity provider with demo users. Not for production data.
          </div>
        ) : null}
        <header className="flex items-center justify-between gap-4 border-b border-slate-200 bg-white px-6 py-3">
          <div className="md:hidden">
            <Link href="/" className="font-semibold">Nexus</Link>
          </div>
          <div className="ml-auto flex items-center gap-3">
            <LiveStatus />
            <div className="text-right">
              <p className="text-sm font-medium text-slate-900" data-testid="user-name">{session.user.name}</p>
              <p className="text-xs text-slate-500">
                <span data-testid="user-role">{role}</span>
                {scoped.length > 0 ? ` · ${scoped.join(", ")}` : ""}
              </p>
            </div>
            <Badge tone={role === "admin" ? "info" : "neutral"}>{role}</Badge>
            <SignOutButton />
          </div>
        </header>
        {available ? null : (
          <div role="alert" className="border-b border-red-200 bg-red-50 px-6 py-2 text-sm text-red-800">
            <span className="font-semibold">The database cannot be reached right now.</span> Nexus reconnects by itself; pages
            and changes that need it will work again once it answers. Nothing you saved before is lost.
          </div>
        )}
        <main className="mx-auto w-full max-w-7xl flex-1 px-6 py-8">{children}</main>
      </div>
    </div>
  );
}
