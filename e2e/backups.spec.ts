import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";

const SHOTS = process.env.E2E_SHOTS_DIR ?? ".reports/shots";

test("an admin sees the backup schedule and downloads a backup from Settings; an operator sees no Backups card", async ({ page, browser }) => {
  await signIn(page, "admin");
  await page.goto("/settings");
  const card = page.locator("section", { has: page.getByRole("heading", { name: "Backups" }) });
  await expect(card).toBeVisible();
  // The e2e server runs without NEXUS_BACKUP_DIR: the card says how to turn the schedule on.
  await expect(card.getByLabel("Backup schedule")).toContainText("Scheduled backups are off. Set NEXUS_BACKUP_DIR");
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: `${SHOTS}/settings-backups.png` });

  const [download] = await Promise.all([page.waitForEvent("download"), card.getByRole("link", { name: "Download a backup now" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^nexus-backup-.*\.ndjson$/);
  const lines = readFileSync((await download.path())!, "utf8").trim().split("\n");
  expect(JSON.parse(lines[0]!)).toMatchObject({ format: "nexus-backup", version: 1 });
  expect(JSON.parse(lines.at(-1)!)).toMatchObject({ end: true });

  const other = await browser.newPage();
  try {
    await signIn(other, "olivia");
    await other.goto("/settings");
    await expect(other.getByRole("heading", { name: "Approval rules" })).toBeVisible();
    await expect(other.getByRole("heading", { name: "Backups" })).toHaveCount(0);
  } finally {
    await other.close();
  }
});
