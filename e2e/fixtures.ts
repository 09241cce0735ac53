import { expect, type Page } from "@playwright/test";

export const DEMO = {
  admin: { name: "Ada Admin", role: "admin" },
  olivia: { name: "Olivia Operator", role: "operator" },
  alice: { name: "Alice Approver", role: "approver" },
  bob: { name: "Bob Approver", role: "approver" },
  morgan: { name: "Morgan Manager", role: "viewer" },
} as const;
export type DemoLogin = keyof typeof DEMO;

/** Signs in through the real OIDC redirect: console → identity provider's login page → console. */
export async function signIn(page: Page, login: DemoLogin, path = "/") {
  await page.goto(path);
  await page.waitForURL(/127\.0\.0\.1:\d+\/interaction\//);
  await expect(page.getByRole("heading", { name: "Sign in to Nexus" })).toBeVisible();
  await page.getByLabel("Username").fill(login);
  await page.getByLabel("Password").fill("demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user-name")).toHaveText(DEMO[login].name);
}
