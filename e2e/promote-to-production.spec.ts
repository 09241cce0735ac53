import { expect, test, type Browser, type Page } from "@playwright/test";
import { signIn, type DemoLogin } from "./fixtures";

const LAYER = "/api/v1/services/api-gateway/environments/staging/layer";
// Set E2E_SCREENSHOTS_DIR to keep screenshots of the promotion pages for a visual check.
const SHOTS = process.env.E2E_SCREENSHOTS_DIR;

// Uncaught errors and React's own (a hydration mismatch, say) on any page of the journey.
const pageErrors: string[] = [];

/** Each person signs in in a browser context of their own: separate cookies, separate sessions. */
async function as(browser: Browser, login: DemoLogin, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(`${login}: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /React|hydrat/i.test(m.text())) pageErrors.push(`${login}: ${m.text()}`);
  });
  await signIn(page, login, path);
  if (!page.url().endsWith(path)) await page.goto(path);
  return page;
}

const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
};

test("olivia opens a staging → production promotion, alice and bob approve, bob applies", async ({ browser, baseURL }) => {
  const origin = { origin: baseURL! };

  // Olivia changes staging's overlay of api-gateway (through the API, as the editor would).
  const olivia = await as(browser, "olivia", "/promotions");
  const layer = await (await olivia.request.get(LAYER)).json();
  expect(layer.source).toContain("cache_ttl: 1800");
  const saved = await olivia.request.put(LAYER, {
    headers: origin,
    data: { content: layer.source.replace("cache_ttl: 1800", "cache_ttl: 1200"), format: "yaml", message: "Shorter gateway cache", baseRevision: layer.head.id },
  });
  expect(saved.status(), await saved.text()).toBe(200);

  // She opens the promotion in the console; the target is the next environment, not a choice.
  await olivia.getByRole("button", { name: "New promotion" }).click();
  await olivia.getByRole("checkbox", { name: "api-gateway" }).check();
  await olivia.getByLabel("From environment").selectOption("staging");
  await expect(olivia.getByTestId("promotion-target")).toHaveText("production");
  await olivia.getByRole("button", { name: "Open promotion" }).click();
  await olivia.waitForURL(/\/promotions\/\d+$/);
  const number = new URL(olivia.url()).pathname.split("/").pop()!;
  const path = `/promotions/${number}`;

  await expect(olivia.getByRole("heading", { level: 1 })).toContainText("Promote api-gateway from staging to production");
  await expect(olivia.getByTestId("cr-state")).toHaveText("in review");
  await expect(olivia.getByTestId("cr-route")).toHaveText(/staging\s*→\s*production/);
  const row = olivia.getByTestId("cr-diff").getByRole("row", { name: /\/performance\/cache_ttl/ });
  await expect(row).toContainText("3600");
  await expect(row).toContainText("1200");
  await expect(olivia.getByTestId("cr-checks").getByRole("listitem").filter({ hasText: "Policies of error severity pass" })).toContainText("Passes");
  await expect(olivia.getByTestId("approval-count")).toHaveText("0 of 2");
  await shot(olivia, "request-in-review");

  // Her own request: no Approve button, and the API refuses her too.
  await expect(olivia.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(olivia.getByText("You opened this request")).toBeVisible();
  const selfApproval = await olivia.request.post(`/api/v1/change-requests/${number}/approve`, { headers: origin, data: {} });
  expect(selfApproval.status()).toBe(403);
  expect(selfApproval.headers()["content-type"]).toContain("application/problem+json");

  await olivia.goto("/promotions?filter=mine");
  await expect(olivia.getByTestId("change-requests").getByRole("row", { name: new RegExp(`#${number}`) })).toContainText("in review");
  await shot(olivia, "list-mine");

  // Alice sees it waiting for her and approves: one of two.
  const alice = await as(browser, "alice", "/promotions?filter=awaiting-me");
  // Other specs may have left requests open too: the badge counts this one among them.
  const badge = alice.getByTestId("nav-badge-promotions");
  await expect(badge).toContainText("awaiting your approval");
  const waiting = Number.parseInt((await badge.textContent()) ?? "", 10);
  expect(waiting).toBeGreaterThanOrEqual(1);
  await alice.getByRole("link", { name: `#${number}`, exact: true }).click();
  await alice.getByRole("button", { name: "Approve" }).click();
  await expect(alice.getByTestId("approval-count")).toHaveText("1 of 2");
  await expect(alice.getByTestId("cr-state")).toHaveText("in review");
  await expect(alice.getByRole("button", { name: "Approve" })).toHaveCount(0);
  if (waiting === 1) await expect(badge).toHaveCount(0);
  else await expect(badge).toContainText(`${waiting - 1} awaiting`);

  // Bob gives the second approval and applies, confirming in a dialog.
  const bob = await as(browser, "bob", path);
  await bob.getByRole("button", { name: "Approve" }).click();
  await expect(bob.getByTestId("cr-state")).toHaveText("approved");
  await expect(bob.getByTestId("approval-count")).toHaveText("2 of 2");
  await bob.getByRole("button", { name: "Apply…" }).click();
  const dialog = bob.getByRole("alertdialog");
  await expect(dialog).toContainText(`Apply #${number} to production?`);
  await dialog.getByRole("button", { name: "Apply to production" }).click();
  await expect(bob.getByTestId("cr-state")).toHaveText("applied");
  await expect(bob.getByText(/applied by\s+Bob/)).toBeVisible();
  await expect(bob.getByRole("button", { name: "Revert" })).toBeVisible();
  await shot(bob, "request-applied");

  // Production's resolved config serves the change.
  const config = await bob.request.get("/api/v1/services/api-gateway/environments/production/config");
  expect(config.status()).toBe(200);
  expect((await config.json()).performance).toMatchObject({ cache_ttl: 1200, max_workers: 16 });

  // The audit trail shows each step.
  await bob.goto("/audit?service=api-gateway&env=production");
  for (const action of ["change_request.opened", "change_request.applied", "config.promoted"]) {
    await expect(bob.getByRole("cell", { name: action, exact: true })).toHaveCount(1);
  }
  await expect(bob.getByRole("cell", { name: "change_request.approved", exact: true })).toHaveCount(2);

  await bob.goto("/promotions?filter=applied");
  await shot(bob, "list-applied");
  expect(pageErrors).toEqual([]);
  await Promise.all([olivia, alice, bob].map((p) => p.context().close()));
});
