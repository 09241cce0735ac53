import { expect, test } from "@playwright/test";
import { DEMO, signIn, type DemoLogin } from "./fixtures";

for (const login of Object.keys(DEMO) as DemoLogin[]) {
  test(`${login} signs in through SSO and sees their name and role`, async ({ page }) => {
    await signIn(page, login);
    await expect(page.getByTestId("user-role")).toHaveText(DEMO[login].role);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText([
      "Overview", "Services", "Promotions", "Drift", "Health", "Audit", "Settings",
    ]);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    await expect(page.getByText(/Demo mode/)).toBeVisible();
    await expect(page.getByTestId("service-count")).toHaveText("11");
  });
}

test("opening the console without a session goes to the identity provider", async ({ page }) => {
  await page.goto("/audit");
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/interaction\//);
});

test("a wrong password is refused on the identity provider's page", async ({ page }) => {
  await page.goto("/");
  await page.waitForURL(/\/interaction\//);
  await page.getByLabel("Username").fill("olivia");
  await page.getByLabel("Password").fill("wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Unknown user or wrong password.")).toBeVisible();
});

test("an OIDC callback with a wrong state is refused and signs nobody in", async ({ page }) => {
  await page.goto("/api/auth/callback/oidc?code=forged&state=forged");
  await expect(page).toHaveURL(/\/login\?.*error=OAuthCallback/);
  await expect(page.getByText(/could not be accepted/)).toBeVisible();
  const me = await page.request.get("/api/v1/me");
  expect(me.status()).toBe(401);
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page, "olivia");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("You are signed out.")).toBeVisible();
  expect((await page.request.get("/api/v1/me")).status()).toBe(401);
});
