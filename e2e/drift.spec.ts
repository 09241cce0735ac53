import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";

const ADMIN = { authorization: "Bearer e2e-bootstrap-admin-token-0123456789" };
// Set E2E_SCREENSHOTS_DIR to keep screenshots of the drift pages for a visual check.
const SHOTS = process.env.E2E_SCREENSHOTS_DIR;
const run = promisify(execFile);

test("the sample agent reports a config that differs; the board turns drifted; adopt observed opens a change request", async ({ page, request, baseURL }) => {
  // A token as a real service would get it: observed:write for grafana in production only.
  const created = await request.post("/api/v1/tokens", {
    headers: ADMIN,
    data: { name: "grafana agent", role: "operator", scopes: ["observed:write"], services: ["grafana"], environments: ["production"] },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { token } = (await created.json()) as { token: string };

  // What grafana runs: the SSOT's config with one value changed by hand on the server.
  const desired = await request.get("/api/v1/services/grafana/environments/production/config", { headers: ADMIN });
  expect(desired.status()).toBe(200);
  const running = (await desired.json()) as { performance: { cache_ttl: number } };
  expect(running.performance.cache_ttl).toBe(3600);
  running.performance.cache_ttl = 60;
  const dir = mkdtempSync(path.join(os.tmpdir(), "nexus-agent-"));
  const file = path.join(dir, "grafana.json");
  writeFileSync(file, JSON.stringify(running, null, 2));

  // The board is open before the report arrives: it must turn by itself.
  await signIn(page, "olivia", "/drift");
  if (!page.url().endsWith("/drift")) await page.goto("/drift");
  const cell = page.getByTestId("drift-cell-grafana-production");
  await expect(cell).toHaveAttribute("data-status", "unknown");
  // The demo's one sample drift is on the board from the start.
  await expect(page.getByTestId("drift-cell-performance-service-staging")).toHaveAttribute("data-status", "drifted");

  const agent = await run("npx", ["tsx", "--import", "./scripts/register.mjs", "scripts/nexus.ts", "agent", "--file", file, "--service", "grafana", "--env", "production", "--url", baseURL!, "--token", token, "--once"], {
    cwd: process.cwd(),
    env: { ...process.env, NEXUS_TOKEN: "" },
  });
  expect(agent.stdout).toMatch(/grafana in production is drifted \(1 drifted path\)/);

  await expect(cell).toHaveAttribute("data-status", "drifted", { timeout: 10_000 });
  await page.getByRole("link", { name: /^Drifted/ }).click();
  await expect(page.getByTestId("drift-row-grafana")).toBeVisible();
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/drift-board.png`, fullPage: true });

  await page.getByTestId("drift-cell-grafana-production").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("grafana in production");
  await expect(page.getByTestId("drift-status")).toHaveText("drifted");
  const row = page.getByTestId("drift-paths").getByRole("row", { name: /\/performance\/cache_ttl/ });
  await expect(row).toContainText("changed");
  await expect(row).toContainText("3600");
  await expect(row).toContainText("60");
  await expect(page.getByTestId("drift-history")).toContainText("Drift began: 1 path");
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/drift-detail.png`, fullPage: true });

  // Production is protected: adopting the running value goes through a change request.
  await page.getByRole("button", { name: "Adopt observed" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("opens a change request");
  await dialog.getByRole("button", { name: "Open a change request" }).click();
  await page.waitForURL(/\/promotions\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Adopt the observed config of grafana in production");
  const diff = page.getByTestId("cr-diff").getByRole("row", { name: /\/performance\/cache_ttl/ });
  await expect(diff).toContainText("3600");
  await expect(diff).toContainText("60");
});

test("a viewer sees the drift but no remediation buttons", async ({ page }) => {
  await signIn(page, "morgan", "/drift/performance-service/staging");
  if (!page.url().endsWith("/drift/performance-service/staging")) await page.goto("/drift/performance-service/staging");
  await expect(page.getByTestId("drift-status")).toHaveText("drifted");
  await expect(page.getByTestId("drift-paths")).toContainText("/performance/max_workers");
  await expect(page.getByRole("button", { name: "Adopt observed" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);

  // The service page carries a small drift badge per environment, linking to the drift page.
  await page.goto("/services/performance-service");
  await expect(page.getByTestId("service-drift")).toContainText("staging: drifted");
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/service-badge.png` });
  await page.getByTestId("service-drift").getByRole("link", { name: /staging/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("performance-service in staging");
});
