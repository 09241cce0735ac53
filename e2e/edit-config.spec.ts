import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./fixtures";

const SERVICE = "/services/nexus-backend";

/** Replaces the whole editor text the way a person pasting would: select all, then one insertion. */
async function replaceEditorText(page: Page, text: string) {
  await page.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(text);
}

async function editorText(page: Page): Promise<string> {
  // innerText reports the empty last line as an extra newline; keep the document's own ending.
  return (await page.locator(".cm-content").innerText()).replace(/\n+$/, "\n");
}

test("an operator edits development, sees the schema error inline, fixes it, saves, reads the diff and rolls back", async ({ page }) => {
  await signIn(page, "olivia");
  await page.getByRole("link", { name: "Services", exact: true }).click();
  await page.getByRole("link", { name: "nexus-backend" }).click();
  await expect(page.getByRole("heading", { name: "nexus-backend" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Environments" }).getByRole("link", { name: /development/ })).toHaveAttribute("aria-current", "page");

  // The resolved config says where each value comes from, and hides the secret.
  const resolved = page.getByTestId("resolved-table");
  await expect(resolved.getByRole("row", { name: /\/database\/port/ })).toContainText("5432");
  await expect(resolved.getByRole("row", { name: /\/database\/port/ })).toContainText(/overlay\s*r1/);
  await expect(resolved.getByRole("row", { name: /\/database\/password/ })).toContainText("•••• (secret db-password)");
  await expect(resolved.getByRole("row", { name: /\/application\/environment/ })).toContainText("development");

  await page.getByRole("link", { name: "Layers" }).click();
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await expect(page.locator(".cm-content")).toContainText("port: 5432");
  const original = await editorText(page);
  const portLine = original.split("\n").findIndex((l) => l.includes("port: 5432")) + 1;
  expect(portLine).toBeGreaterThan(0);

  // A value the schema refuses: marked inline and listed with its line.
  await replaceEditorText(page, original.replace("port: 5432", 'port: "not-a-number"'));
  await expect(page.locator(".cm-lintRange-error").first()).toBeVisible();
  const errors = page.getByTestId("editor-errors");
  await expect(errors).toContainText(`Line ${portLine}`);
  await expect(errors).toContainText("/database/port");

  // Fixed: the markers go away, and the save asks for a message.
  await replaceEditorText(page, original.replace("port: 5432", "port: 6543"));
  await expect(errors).toHaveCount(0);
  await expect(page.locator(".cm-lintRange-error")).toHaveCount(0);
  await page.getByRole("button", { name: "Save…" }).click();
  const dialog = page.getByRole("dialog", { name: /Save overlay/ });
  await expect(dialog.getByLabel("Message")).toBeFocused();
  await page.keyboard.type("Move the development database to port 6543");
  await page.keyboard.press("Enter");
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: "Saved as r2." })).toBeVisible();

  // History: the new revision, and what it changed.
  await page.getByRole("link", { name: "History" }).click();
  const r2 = page.getByTestId("revision-r2");
  await expect(r2).toContainText("Move the development database to port 6543");
  await expect(r2).toContainText("Olivia Operator");
  await expect(page.getByTestId("revision-diff")).toContainText("Changes from r1 to r2");
  const portChange = page.getByTestId("diff-table").getByRole("row", { name: /\/database\/port/ });
  await expect(portChange).toHaveAttribute("data-kind", "changed");
  await expect(portChange.getByRole("cell").nth(2)).toHaveText("5432");
  await expect(portChange.getByRole("cell").nth(3)).toHaveText("6543");

  // Roll back, after confirming.
  await page.getByTestId("revision-r1").getByRole("button", { name: "Roll back to r1" }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText("A new revision r3 is written with the content of r1");
  await confirm.getByRole("button", { name: "Roll back to r1" }).click();
  await expect(confirm).toHaveCount(0);
  const r3 = page.getByTestId("revision-r3");
  await expect(r3).toContainText("Roll back to r1");
  await expect(r3).toContainText("head");
  await expect(page.getByTestId("revision-diff")).toContainText("Changes from r2 to r3");
  const back = page.getByTestId("diff-table").getByRole("row", { name: /\/database\/port/ });
  await expect(back.getByRole("cell").nth(2)).toHaveText("6543");
  await expect(back.getByRole("cell").nth(3)).toHaveText("5432");

  await page.getByRole("link", { name: "Resolved config" }).click();
  const port = page.getByTestId("resolved-table").getByRole("row", { name: /\/database\/port/ });
  await expect(port).toContainText("5432");
  await expect(port).toContainText(/overlay\s*r3/);
});

test("a save on top of a moved head shows who changed what and reloads the new head", async ({ page, baseURL }) => {
  await signIn(page, "olivia");
  await page.goto(`${SERVICE}?env=staging&tab=layers`);
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await expect(page.locator(".cm-content")).toContainText("max_connections: 50");
  const mine = (await editorText(page)).replace("max_connections: 50", "max_connections: 60");
  await replaceEditorText(page, mine);

  // Meanwhile someone else saves the same layer.
  const layerUrl = "/api/v1/services/nexus-backend/environments/staging/layer";
  const head = await (await page.request.get(layerUrl)).json();
  const theirs = await page.request.put(layerUrl, {
    headers: { origin: baseURL! },
    data: { content: head.source.replace("max_connections: 50", "max_connections: 75"), format: "yaml", message: "Raise staging pool to 75", baseRevision: head.head.id },
  });
  expect(theirs.status()).toBe(200);

  await page.getByRole("button", { name: "Save…" }).click();
  await page.getByLabel("Message").fill("Raise staging pool to 60");
  await page.keyboard.press("Enter");
  const conflict = page.getByTestId("conflict-panel");
  await expect(conflict).toContainText("nothing was saved");
  await expect(conflict).toContainText("Raise staging pool to 75");
  await expect(conflict).toContainText("Olivia Operator");
  const row = conflict.getByRole("row", { name: /\/database\/max_connections/ });
  await expect(row).toContainText("50");
  await expect(row).toContainText("75");

  await conflict.getByRole("button", { name: "Load r2 into the editor" }).click();
  await expect(conflict).toHaveCount(0);
  await expect(page.locator(".cm-content")).toContainText("max_connections: 75");
  await expect(page.getByRole("textbox", { name: "Your previous text" })).toHaveValue(/max_connections: 60/);
  await expect(page.getByText("Editing on top of r2")).toBeVisible();
});

test("a viewer sees the layers but no edit control", async ({ page }) => {
  await signIn(page, "morgan");
  await page.goto(`${SERVICE}?tab=layers`);
  await expect(page.locator(".cm-content")).toContainText("port: 5432");
  await expect(page.getByRole("button", { name: /^Edit/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Save/ })).toHaveCount(0);

  await page.getByRole("link", { name: "History" }).click();
  await expect(page.getByTestId("revision-r1")).toBeVisible();
  await expect(page.getByRole("button", { name: /Roll back/ })).toHaveCount(0);

  await page.getByRole("link", { name: "Secrets" }).click();
  await expect(page.getByTestId("secrets-table")).toContainText("db-password");
  await expect(page.getByRole("button", { name: "Reveal" })).toHaveCount(0);
  await expect(page.getByRole("form", { name: "Add or rotate a secret" })).toHaveCount(0);
});

test("production is protected: no Save, a disabled proposal and a note saying why", async ({ page }) => {
  await signIn(page, "olivia");
  await page.goto(`${SERVICE}?env=production&tab=layers`);
  await expect(page.getByTestId("protected-note")).toContainText("production is protected");
  await page.getByRole("button", { name: "Edit draft" }).click();
  await expect(page.locator(".cm-content")).toContainText("max_connections: 100");
  await expect(page.getByRole("button", { name: /^Save/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Propose change" })).toBeDisabled();
  await expect(page.getByTestId("protected-note")).toContainText("change request");
});

test("someone with secrets:read reveals a secret after confirming, and hides it again", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto(`${SERVICE}?env=development&tab=secrets`);
  const row = page.getByTestId("secrets-table").getByRole("row", { name: /db-password/ });
  await expect(row).toContainText("v1");
  await row.getByRole("button", { name: "Reveal" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Reveal db-password?" });
  await expect(confirm).toContainText("audit trail");
  await confirm.getByRole("button", { name: "Reveal value" }).click();
  await expect(row.getByTestId("revealed-value")).not.toBeEmpty();
  await row.getByRole("button", { name: "Hide" }).click();
  await expect(row.getByTestId("revealed-value")).toHaveCount(0);
});
