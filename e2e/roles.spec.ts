import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";

test("a viewer sees no edit controls and gets 403 from a mutating API call", async ({ page, baseURL }) => {
  await signIn(page, "morgan");
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByText("Only administrators manage API tokens")).toBeVisible();
  await expect(page.getByRole("button", { name: "Create token" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Revoke" })).toHaveCount(0);

  const res = await page.request.post("/api/v1/tokens", {
    headers: { origin: baseURL! },
    data: { name: "sneaky", role: "admin", scopes: ["admin"] },
  });
  expect(res.status()).toBe(403);
  expect(res.headers()["content-type"]).toContain("application/problem+json");
  const body = await res.json();
  expect(body).toMatchObject({ status: 403, title: "Forbidden" });
  expect(JSON.stringify(body)).not.toContain("nxs_");
});

test("a cookie-authenticated change from another origin is refused (CSRF)", async ({ page }) => {
  await signIn(page, "admin");
  const res = await page.request.post("/api/v1/tokens", {
    headers: { origin: "https://evil.example" },
    data: { name: "csrf", role: "viewer", scopes: ["config:read"] },
  });
  expect(res.status()).toBe(403);
});

test("an admin creates a token, sees it once, uses it and revokes it", async ({ page, request }) => {
  await signIn(page, "admin");
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Name").fill("e2e-ci");
  await page.getByLabel("Role").selectOption("operator");
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("new-token").textContent())!.trim();
  expect(secret).toMatch(/^nxs_/);

  const me = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ kind: "token", role: "operator" });

  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  const row = page.getByRole("row", { name: /e2e-ci/ });
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("Revoke “e2e-ci”?");
  await page.getByRole("button", { name: "Revoke token" }).click();
  await expect(row.getByText("revoked")).toBeVisible();

  const after = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
  expect(after.status()).toBe(401);
  expect((await after.json()).detail).toContain("revoked");
});

test("the audit trail lists the changes and its chain verifies", async ({ page }) => {
  await signIn(page, "alice");
  await page.getByRole("link", { name: "Audit", exact: true }).click();
  await expect(page.getByRole("cell", { name: "demo.seeded" })).toBeVisible();
  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByTestId("verify-result")).toContainText("Chain intact");
  await page.getByLabel("Action").fill("user.signed_in");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=user.signed_in/);
  await expect(page.getByRole("cell", { name: "demo.seeded" })).toHaveCount(0);
});
