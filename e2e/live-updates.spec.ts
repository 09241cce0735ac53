import { expect, test, type Browser, type Page } from "@playwright/test";
import { baseURL } from "../playwright.config";
import { signIn, type DemoLogin } from "./fixtures";

async function personAt(browser: Browser, login: DemoLogin, path: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, login);
  await page.goto(path);
  // The one subscription of the console is open before anyone changes anything.
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
  // Survives only as long as the document: a reload would drop it.
  await page.evaluate(() => ((window as unknown as { __noReload?: boolean }).__noReload = true));
  return page;
}

const notReloaded = (page: Page) => page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true);

test("a save by one person appears for another within 2 s, without a reload", async ({ browser }) => {
  const watcher = await personAt(browser, "morgan", "/services/redis?env=development");
  const port = watcher.getByTestId("resolved-table").getByRole("row", { name: /\/database\/port/ });
  await expect(port).toContainText("5432");

  const editor = await personAt(browser, "olivia", "/services/redis?env=development&tab=layers");
  await editor.getByRole("button", { name: "Edit", exact: true }).click();
  await expect(editor.locator(".cm-content")).toContainText("port: 5432");
  const original = (await editor.locator(".cm-content").innerText()).replace(/\n+$/, "\n");
  await editor.locator(".cm-content").click();
  await editor.keyboard.press("ControlOrMeta+a");
  await editor.keyboard.insertText(original.replace("port: 5432", "port: 6390"));
  await editor.getByRole("button", { name: "Save…" }).click();
  await editor.keyboard.type("Live update probe");
  await editor.keyboard.press("Enter");
  await expect(editor.getByRole("status").filter({ hasText: /Saved as r\d+\./ })).toBeVisible();

  await expect(port).toContainText("6390", { timeout: 2_000 });
  await expect(port).toContainText(/overlay\s*r2/);
  expect(await notReloaded(watcher)).toBe(true);
  if (process.env.E2E_SHOTS_DIR) await watcher.screenshot({ path: `${process.env.E2E_SHOTS_DIR}/live-watcher.png` });
});

test("a promotion opened by one person appears in another's list within 2 s, without a reload", async ({ browser }) => {
  const watcher = await personAt(browser, "alice", "/promotions?filter=all");
  const opener = await personAt(browser, "olivia", "/promotions");
  // Something to promote: a change to elk in development.
  const layerUrl = "/api/v1/services/elk/environments/development/layer";
  const layer = (await (await opener.request.get(layerUrl)).json()) as { source: string; head: { id: string } };
  const saved = await opener.request.put(layerUrl, {
    data: { content: `${layer.source}\nlive_probe: 1\n`, format: "yaml", message: "Something to promote", baseRevision: layer.head.id },
    headers: { origin: baseURL },
  });
  expect(saved.status(), await saved.text()).toBe(200);
  const res = await opener.request.post("/api/v1/change-requests", {
    data: { kind: "promotion", services: ["elk"], from: "development", to: "staging", title: "Live list probe" },
    headers: { origin: baseURL },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { number } = (await res.json()) as { number: number };

  const row = watcher.getByTestId("change-requests").getByRole("row", { name: /Live list probe/ });
  await expect(row).toBeVisible({ timeout: 2_000 });
  await expect(row).toContainText(`#${number}`);
  expect(await notReloaded(watcher)).toBe(true);

  // Its detail page follows the request's state too: Alice approves in her page, Olivia's updates.
  await opener.goto(`/promotions/${number}`);
  await expect(opener.getByTestId("live-status")).toHaveAttribute("data-state", "live");
  await expect(opener.getByTestId("cr-state")).toHaveText("in review");
  await opener.evaluate(() => ((window as unknown as { __noReload?: boolean }).__noReload = true));
  const approve = await watcher.request.post(`/api/v1/change-requests/${number}/approve`, { data: {}, headers: { origin: baseURL } });
  expect(approve.status(), await approve.text()).toBe(200);
  await expect(opener.getByTestId("cr-state")).toHaveText("approved", { timeout: 2_000 });
  expect(await notReloaded(opener)).toBe(true);
});
