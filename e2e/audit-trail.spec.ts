import { mkdirSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { baseURL } from "../playwright.config";
import { signIn } from "./fixtures";

const SHOTS = process.env.E2E_SHOTS_DIR ?? ".reports/shots";

test("an administrator filters the audit trail, reads a change's diff, exports it and verifies the chain", async ({ page }) => {
  mkdirSync(SHOTS, { recursive: true });
  await signIn(page, "admin", "/audit");

  // A change with a before and an after: the staging overlay of redis, through the API.
  const layerUrl = "/api/v1/services/redis/environments/staging/layer";
  const layer = (await (await page.request.get(layerUrl)).json()) as { source: string; head: { id: string } };
  const saved = await page.request.put(layerUrl, {
    data: { content: layer.source.replace("max_connections: 50", "max_connections: 75"), format: "yaml", message: "More connections for the audit test", baseRevision: layer.head.id },
    headers: { origin: baseURL },
  });
  expect(saved.status(), await saved.text()).toBe(200);

  await page.goto("/audit");
  await page.getByLabel("Environment").selectOption("staging");
  await page.getByLabel("Service").fill("redis");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/env=staging/);
  const table = page.getByTestId("audit-table");
  const rows = table.locator("tbody > tr");
  await expect(rows.first()).toContainText("config.saved");
  for (const env of await table.locator("tbody > tr td:nth-child(5)").allInnerTexts()) expect(env).toBe("staging");
  await page.screenshot({ path: `${SHOTS}/audit-filtered.png`, fullPage: true });

  // The diff of what the save changed.
  await rows.first().getByRole("button", { name: "Show changes" }).click();
  const diff = page.getByTestId("audit-diff");
  const change = diff.getByTestId("diff-table").getByRole("row", { name: /\/value\/database\/max_connections/ });
  await expect(change).toHaveAttribute("data-kind", "changed");
  await expect(change.getByRole("cell").nth(2)).toHaveText("50");
  await expect(change.getByRole("cell").nth(3)).toHaveText("75");
  await page.screenshot({ path: `${SHOTS}/audit-diff.png`, fullPage: true });

  // The export of the filtered set.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^nexus-audit-.*\.csv$/);
  const csv = await (await download.createReadStream()).toArray();
  const text = Buffer.concat(csv).toString("utf8");
  expect(text.split("\r\n")[0]).toMatch(/^seq,id,occurred_at,actor_id/);
  expect(text).toContain("config.saved");
  expect(text).not.toMatch(/,production,/);

  // Verify the chain.
  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByTestId("verify-result")).toContainText(/Chain intact: \d+ events verified/);
  await page.screenshot({ path: `${SHOTS}/audit-verified.png`, fullPage: true });
});
