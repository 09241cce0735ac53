// The security headers of every response (RELIABILITY.md, "Security headers"): server.ts sets them
// on everything it hands to Next, the delivery fast path bakes them into its cached header lists,
// and proxy.ts replaces the CSP of console pages with a per-request nonce policy.

/** API answers, static files and anything else that is not a page: nothing may run or embed it. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export const HSTS = "max-age=31536000; includeSubDomains";

/** Headers every response carries, whatever serves it. */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ["x-content-type-options", "nosniff"],
  ["referrer-policy", "no-referrer"],
  ["x-frame-options", "DENY"],
  ["cross-origin-opener-policy", "same-origin"],
  ["permissions-policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"],
];

/** The console is served over https: its public URL says so (set it when a TLS proxy fronts Nexus). */
export function httpsByConfig(env: Record<string, string | undefined> = process.env): boolean {
  return env.NEXTAUTH_URL?.startsWith("https://") ?? false;
}

/**
 * Headers for a response to a request that came over `https` (NEXTAUTH_URL, or a trusted proxy's
 * X-Forwarded-Proto); HSTS only then, since a browser ignores it over plain http anyway and a
 * plain-http install must stay reachable.
 */
export function securityHeaders(https: boolean): [string, string][] {
  const out: [string, string][] = STATIC_SECURITY_HEADERS.map(([k, v]) => [k, v]);
  out.push(["content-security-policy", NON_PAGE_CSP]);
  if (https) out.push(["strict-transport-security", HSTS]);
  return out;
}

/** The same, flattened the way `res.writeHead(status, [k, v, k, v])` takes raw header lists. */
export function flatSecurityHeaders(https: boolean): string[] {
  return securityHeaders(https).flat();
}

/**
 * Console pages: scripts only from this origin and with this request's nonce ('strict-dynamic' lets
 * Next's nonce'd loader pull its chunks); no 'unsafe-inline' and no 'unsafe-eval' for scripts.
 * Styles keep 'unsafe-inline': React and recharts write style attributes, and CodeMirror injects
 * <style> elements; a style nonce would disable 'unsafe-inline' and break them, and style
 * injection cannot run code.
 */
export function pageCsp(nonce: string, https: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}
