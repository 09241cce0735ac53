import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./fixtures";

// The demo starts stand-in endpoints next to the console; its seeded checks run every 10–15 s and
// nags-service answers 503, so an incident opens within about 30 s of the start.
test.describe.configure({ timeout: 150_000 });

const shots = process.env.SHOTS_DIR;
async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

test("the failing demo service shows down with an open incident, and its latency chart has data points", async ({ page }) => {
  await signIn(page, "morgan");
  await page.getByRole("link", { name: "Health", exact: true }).click();
  const board = page.getByTestId("health-board");
  const cell = board.locator('tr[data-service="nags-service"] td[data-env="production"]');
  // The board polls: no reload needed for the incident to appear.
  await expect(cell.getByTestId("status")).toHaveText("down", { timeout: 90_000 });
  await expect(cell.getByText("incident open")).toBeVisible({ timeout: 60_000 });
  await expect(board.locator('tr[data-service="nexus-backend"] td[data-env="production"]').getByTestId("status")).toHaveText("up");
  await expect(board.locator('tr[data-service="grafana"] td[data-env="production"]').getByTestId("status")).toHaveText("degraded");
  // A manager cannot add checks.
  await expect(page.getByRole("button", { name: "Add check" })).toHaveCount(0);

  // Filter: only down cells of production.
  await page.getByLabel("Environment", { exact: true }).selectOption("production");
  await page.getByLabel("Status", { exact: true }).selectOption("down");
  await expect(board.locator("tbody tr")).toHaveCount(3); // nags-service, postgres, redis
  await shot(page, "health-board-filtered");
  await page.getByLabel("Environment", { exact: true }).selectOption("all");
  await page.getByLabel("Status", { exact: true }).selectOption("all");
  await shot(page, "health-board");

  await board.getByRole("link", { name: "nags-service", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Health of nags-service" })).toBeVisible();
  const incidents = page.getByTestId("incidents");
  await expect(incidents.locator('tr[data-state="open"]').first()).toBeVisible();
  await expect(incidents).toContainText("HTTP 503");
  const chart = page.getByTestId("latency-chart");
  await expect(chart).toBeVisible();
  expect(Number(await chart.getAttribute("data-points"))).toBeGreaterThan(0);
  // Points are drawn as dots while there are few of them (a fresh demo has a minute or two of data).
  await expect(chart.locator(".recharts-line-dot").first()).toBeVisible();
  await expect(chart.locator(".recharts-cartesian-axis-tick-value").first()).toBeVisible();
  await expect(chart.getByText("ms", { exact: false }).first()).toBeVisible();
  await shot(page, "service-health");

  await page.getByRole("link", { name: "Overview" }).click();
  const prod = page.getByTestId("health-summary").locator('li[data-env="production"]');
  await expect(prod.getByTestId("open-incidents")).toBeVisible();
  await expect(prod.getByTestId("down-count")).toHaveText(/^[1-9]\d* down$/);
  await shot(page, "overview");
});

test("an operator adds a check in the console; bad URLs are refused with a reason", async ({ page, baseURL }) => {
  await signIn(page, "olivia");
  await page.goto("/health/vault");
  await page.getByRole("button", { name: "Add check" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Environment").selectOption("production");
  await dialog.getByLabel("Name").fill("ui check");
  await dialog.getByLabel("URL").fill("ftp://vault.internal/health");
  await dialog.getByRole("button", { name: "Add check" }).click();
  await expect(dialog.getByRole("alert")).toContainText("must be an http:// or https:// URL");

  await dialog.getByLabel("URL").fill(`${baseURL}/api/healthz`);
  await dialog.getByLabel("Interval (s)").fill("5");
  await dialog.getByLabel("Timeout (ms)").fill("2000");
  await dialog.getByRole("button", { name: "Add check" }).click();
  await expect(dialog).toHaveCount(0);
  const row = page.getByTestId("checks").locator('tr[data-check="production/ui check"]');
  await expect(row).toBeVisible();
  await expect(row.getByTestId("status")).toHaveText("up", { timeout: 30_000 });

  // The API lists it too.
  const res = await page.request.get("/api/v1/health/checks?service=vault&env=production");
  expect(res.status()).toBe(200);
  expect((await res.json()).items.map((c: { name: string }) => c.name)).toContain("ui check");
});
