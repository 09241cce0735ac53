import { expect, test } from "@playwright/test";

test("operations endpoints answer", async ({ request }) => {
  expect((await request.get("/api/healthz")).status()).toBe(200);
  const ready = await request.get("/api/readyz");
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toEqual({ status: "ready" });
  const metrics = await request.get("/api/metrics");
  expect(metrics.status()).toBe(200);
  const text = await metrics.text();
  expect(text).toContain("nexus_http_requests_total");
  expect(text).toMatch(/nexus_http_request_duration_seconds_bucket\{[^}]*route="\/api\/readyz"/);
  expect(text).toContain("nexus_process_cpu_user_seconds_total");
});

test("bad input to the API gets problem+json and changes nothing", async ({ request }) => {
  const unknown = await request.get("/api/v1/does-not-exist");
  expect(unknown.status()).toBe(404);
  expect(unknown.headers()["content-type"]).toContain("application/problem+json");

  const anonymous = await request.get("/api/v1/audit");
  expect(anonymous.status()).toBe(401);
  expect(await anonymous.json()).toMatchObject({ status: 401, title: "Authentication required" });

  const malformed = await request.get("/api/v1/audit", { headers: { authorization: "Bearer not a token" } });
  expect(malformed.status()).toBe(401);

  const unknownToken = await request.get("/api/v1/audit", { headers: { authorization: `Bearer nxs_AAAAAAAA_${"x".repeat(43)}` } });
  expect(unknownToken.status()).toBe(401);
  expect((await unknownToken.json()).detail).toContain("not known");

  const forged = await request.get("/api/v1/me", { headers: { cookie: "next-auth.session-token=forged.jwt.value" } });
  expect(forged.status()).toBe(401);
});

test("NEXUS_BOOTSTRAP_TOKEN gives automation an admin token without a browser", async ({ request }) => {
  const res = await request.get("/api/v1/tokens", { headers: { authorization: "Bearer e2e-bootstrap-admin-token-0123456789" } });
  expect(res.status()).toBe(200);
  const { items } = await res.json();
  expect(items).toEqual(expect.arrayContaining([expect.objectContaining({ name: "bootstrap", role: "admin", status: "active" })]));
  expect(JSON.stringify(items)).not.toContain("e2e-bootstrap-admin-token");
});
