import { NextResponse, type NextRequest } from "next/server";
import { httpsByConfig, pageCsp } from "@/lib/api/security-headers";

/**
 * Console pages get a Content-Security-Policy with a fresh nonce per request; Next reads it from the
 * request's CSP header and puts it on its own scripts (node_modules/next/dist/docs/01-app/02-guides/
 * content-security-policy.md). Every page is rendered per request (the root layout awaits
 * connection()), so no prerendered page ships scripts without the nonce. API routes and static
 * files keep the stricter non-page policy server.ts sets.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const https = httpsByConfig() || request.headers.get("x-forwarded-proto") === "https";
  const csp = pageCsp(nonce, https);
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
