import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./fixtures";

// Security headers on every kind of response, and a console that works under its strict CSP
// (RELIABILITY.md, "Security headers"): no Content-Security-Policy violation on any page.

const BOOTSTRAP = { authorization: "Bearer e2e-bootstrap-admin-token-0123456789" };

function scriptSrc(csp: string): string {
  return csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src ")) ?? "";
}

function expectBaseline(headers: Record<string, string>, what: string) {
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["referrer-policy"], what).toBe("no-referrer");
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["content-security-policy"], what).toContain("frame-ancestors 'none'");
  // Plain http here: HSTS would be meaningless (and is sent only behind https).
  expect(headers["strict-transport-security"], what).toBeUndefined();
}

test("API answers, the delivery fast path and static files carry the security headers", async ({ request }) => {
  for (const path of ["/api/healthz", "/api/v1/me", "/api/v1/does-not-exist"]) {
    const res = await request.get(path);
    expectBaseline(res.headers(), path);
    expect(res.headers()["content-security-policy"]).toContain("default-src 'none'");
  }
  // A config:read token: a token with secrets:read would get the secret values in the config (its
  // purpose), which the secret-leak check (zz-secrets-leak.spec.ts) would rightly report.
  const created = await request.post("/api/v1/tokens", {
    headers: BOOTSTRAP,
    data: { name: "headers-reader", role: "viewer", scopes: ["config:read"] },
  });
  expect(created.status()).toBe(201);
  const { token } = (await created.json()) as { token: string };
  const fast = await request.get("/api/v1/services/nexus-backend/environments/staging/config", { headers: { authorization: `Bearer ${token}` } });
  expect(fast.status()).toBe(200);
  expectBaseline(fast.headers(), "fast path 200");
  const refused = await request.get("/api/v1/services/nexus-backend/environments/staging/config", {
    headers: { authorization: "Bearer nxs_AAAAAAAA_" + "x".repeat(43) },
  });
  expect(refused.status()).toBe(401);
  expectBaseline(refused.headers(), "fast path 401");
});

/** Records CSP violations from the start of every document (init scripts run outside the page's CSP). */
async function watchCsp(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) seen.push(`console: ${m.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`Refused to load: Content Security Policy ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return seen;
}

test("the sign-in page and every console page render and run under the nonce CSP without violations", async ({ page }) => {
  const violations = await watchCsp(page);
  const pageHeaders: Record<string, string>[] = [];
  page.on("response", (r) => {
    // Pages, not the redirects (API answers with the non-page policy) on the way to them.
    const html = (r.headers()["content-type"] ?? "").includes("text/html");
    if (r.request().resourceType() === "document" && r.status() === 200 && html && r.url().startsWith("http://localhost")) pageHeaders.push(r.headers());
  });

  await signIn(page, "admin");
  const visits: [string, () => Promise<void>][] = [
    ["/", async () => {}],
    ["/services", async () => {}],
    // CodeMirror: its editor exists only once client code has run.
    ["/services/nexus-backend?env=staging&tab=layers", async () => {
      await expect(page.locator(".cm-editor").first()).toBeVisible();
    }],
    ["/promotions", async () => {}],
    ["/audit", async () => {}],
    ["/drift", async () => {}],
    ["/health", async () => {}],
    // recharts: the latency chart and uptime bars of one service.
    ["/health/nexus-backend", async () => {
      await expect(page.locator(".recharts-responsive-container, .recharts-wrapper").first()).toBeAttached();
    }],
    ["/compliance", async () => {}],
    ["/settings", async () => {}],
  ];
  for (const [path, check] of visits) {
    await page.goto(path);
    await expect(page.getByTestId("user-name")).toBeVisible();
    await check();
    await page.waitForLoadState("networkidle");
  }
  // Client-side navigation works (the router's scripts ran): follow a link of the shell.
  await page.goto("/");
  await page.getByRole("link", { name: "Services", exact: true }).first().click();
  await expect(page).toHaveURL(/\/services$/);

  expect(pageHeaders.length).toBeGreaterThan(5);
  const nonces = new Set<string>();
  for (const h of pageHeaders) {
    expectBaseline(h, "page");
    const script = scriptSrc(h["content-security-policy"] ?? "");
    expect(script).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'$/);
    expect(script).not.toContain("unsafe-inline");
    expect(script).not.toContain("unsafe-eval");
    nonces.add(/'nonce-([^']+)'/.exec(script)![1]!);
  }
  expect(nonces.size, "a fresh nonce per page").toBe(pageHeaders.length);
  expect(violations).toEqual([]);
});
