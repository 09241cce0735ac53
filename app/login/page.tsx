import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/session";
import { LoginPanel } from "./login-panel";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  OAuthCallback: "The identity provider's answer could not be accepted (its state or code did not match this sign-in). Start again.",
  OAuthSignin: "The sign-in could not be started: the identity provider did not answer. Check OIDC_ISSUER and try again.",
  Callback: "The sign-in could not be completed. Start again.",
  AccessDenied: "The identity provider refused the sign-in.",
  Configuration: "Sign-in is misconfigured on the server; an administrator must check the OIDC settings.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  if (await currentUser()) redirect(safeCallback(params.callbackUrl));
  const error = params.error ? (ERRORS[params.error] ?? "The sign-in failed. Start again.") : null;
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-100 px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold">Nexus</h1>
        <p className="mt-1 text-sm text-slate-500">Single source of truth for platform configuration.</p>
        <LoginPanel
          callbackUrl={safeCallback(params.callbackUrl)}
          error={error}
          autoStart={!error && !params.signedOut}
          signedOut={Boolean(params.signedOut)}
        />
      </div>
    </main>
  );
}

/** Only this console's own pages: an open redirect through the sign-in page is refused. */
function safeCallback(url: string | undefined): string {
  if (!url) return "/";
  if (url.startsWith("/") && !url.startsWith("//")) return url;
  try {
    const own = new URL(process.env.NEXTAUTH_URL ?? "http://localhost");
    const target = new URL(url);
    return target.origin === own.origin ? `${target.pathname}${target.search}` : "/";
  } catch {
    return "/";
  }
}
