"use client";

import { signIn } from "next-auth/react";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

export function LoginPanel({
  callbackUrl,
  error,
  autoStart,
  signedOut,
}: {
  callbackUrl: string;
  error: string | null;
  autoStart: boolean;
  signedOut: boolean;
}) {
  const [starting, setStarting] = useState(autoStart);
  const start = () => {
    setStarting(true);
    void signIn("oidc", { callbackUrl });
  };
  useEffect(() => {
    // Opening the console goes straight to the identity provider, unless there is something to read here.
    if (autoStart) void signIn("oidc", { callbackUrl });
  }, [autoStart, callbackUrl]);

  return (
    <div className="mt-6 space-y-4">
      {error ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      {signedOut ? <p className="text-sm text-slate-600">You are signed out.</p> : null}
      <Button className="w-full" onClick={start} disabled={starting}>
        {starting ? "Redirecting to sign-in…" : "Sign in with SSO"}
      </Button>
    </div>
  );
}
