import { describe, expect, it } from "vitest";
import { httpsByConfig, NON_PAGE_CSP, pageCsp, securityHeaders } from "./security-headers";

const directive = (csp: string, name: string) =>
  csp
    .split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `));

describe("security headers", () => {
  it("page CSP: scripts only from self with this nonce, never unsafe-inline or unsafe-eval; no framing", () => {
    const csp = pageCsp("bm9uY2U=", false);
    expect(directive(csp, "script-src")).toBe("script-src 'self' 'nonce-bm9uY2U=' 'strict-dynamic'");
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(directive(csp, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directive(csp, "object-src")).toBe("object-src 'none'");
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
    expect(pageCsp("x", true)).toMatch(/upgrade-insecure-requests/);
  });

  it("non-page CSP forbids everything, framing included", () => {
    expect(directive(NON_PAGE_CSP, "default-src")).toBe("default-src 'none'");
    expect(directive(NON_PAGE_CSP, "frame-ancestors")).toBe("frame-ancestors 'none'");
  });

  it("sends nosniff, a referrer policy and DENY framing always, HSTS only over https", () => {
    const plain = Object.fromEntries(securityHeaders(false));
    expect(plain["x-content-type-options"]).toBe("nosniff");
    expect(plain["referrer-policy"]).toBe("no-referrer");
    expect(plain["x-frame-options"]).toBe("DENY");
    expect(plain["strict-transport-security"]).toBeUndefined();
    expect(Object.fromEntries(securityHeaders(true))["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  });

  it("takes https from NEXTAUTH_URL", () => {
    expect(httpsByConfig({ NEXTAUTH_URL: "https://nexus.example.com" })).toBe(true);
    expect(httpsByConfig({ NEXTAUTH_URL: "http://localhost:3000" })).toBe(false);
    expect(httpsByConfig({})).toBe(false);
  });
});
