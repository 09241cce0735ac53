import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";

const SHOTS = process.env.E2E_SHOTS_DIR ?? ".reports/shots";

/** A receiver on this machine: answers `status` and keeps what it got. */
async function receiver(status: number) {
  const got: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok, thanks" : "receiver is down for maintenance");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/nexus`, got, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test("an admin registers webhooks, sees the secret once, sends a test event and reads the delivery log", async ({ page }) => {
  const ok = await receiver(204);
  const down = await receiver(503);
  try {
    await signIn(page, "admin");
    await page.goto("/settings/webhooks");
    await expect(page.getByRole("heading", { name: "Webhooks" })).toBeVisible();
    await expect(page.getByText("No webhook endpoints yet")).toBeVisible();

    // A bad URL is refused with a message, nothing is created.
    await page.getByLabel("Name").fill("bad");
    await page.getByLabel("URL (http or https)").fill("ftp://example.com/x");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByRole("form", { name: "Add webhook endpoint" }).getByRole("alert")).toContainText(/only http and https/);

    await page.getByLabel("Name").fill("ops-receiver");
    await page.getByLabel("URL (http or https)").fill(ok.url);
    await page.getByRole("checkbox", { name: /change_request\.\*/ }).check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await page.getByTestId("webhook-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await page.screenshot({ path: `${SHOTS}/webhooks-created-secret.png`, fullPage: true });
    await page.getByRole("button", { name: "Done" }).click();
    await expect(page.getByTestId("webhook-secret")).toHaveCount(0);

    await page.getByLabel("Name").fill("legacy-slack");
    await page.getByLabel("URL (http or https)").fill(down.url);
    await page.getByLabel("Format").selectOption("slack");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await page.getByRole("button", { name: "Done" }).click();

    // The secret is never shown again: not on the list, not on the endpoint's page.
    await expect(page.getByRole("link", { name: "legacy-slack" })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/webhooks-list.png`, fullPage: true });
    expect(await page.content()).not.toContain(secret.slice(6));

    await page.getByRole("link", { name: "ops-receiver" }).click();
    await expect(page.getByRole("heading", { name: "Webhook endpoint" })).toBeVisible();
    expect(await page.content()).not.toContain(secret.slice(6));
    await page.getByRole("button", { name: "Send test event" }).click();
    const delivered = page.getByRole("list", { name: "Deliveries" }).getByText("delivered", { exact: true });
    await expect(delivered).toBeVisible({ timeout: 15_000 });
    // The receiver got it, signed with the secret shown once.
    expect(ok.got).toHaveLength(1);
    const h = ok.got[0]!.headers as Record<string, string>;
    const mac = createHmac("sha256", Buffer.from(secret.slice(6), "base64")).update(`${h["webhook-id"]}.${h["webhook-timestamp"]}.${ok.got[0]!.body}`).digest("base64");
    expect(h["webhook-signature"]).toBe(`v1,${mac}`);
    await page.getByText("Attempts and body").first().click();
    await expect(page.getByText("204", { exact: true }).first()).toBeVisible();
    await page.getByRole("button", { name: "Redeliver" }).click();
    await expect.poll(() => ok.got.length, { timeout: 15_000 }).toBe(2);
    expect(ok.got[1]!.headers["webhook-id"]).toBe(h["webhook-id"]);
    await expect(page.getByText(/redelivery by/)).toBeVisible({ timeout: 15_000 });
    await expect(page.getByRole("list", { name: "Deliveries" }).getByText("delivered", { exact: true })).toHaveCount(2, { timeout: 15_000 });
    await page.screenshot({ path: `${SHOTS}/webhooks-delivery-log.png`, fullPage: true });

    // The failing endpoint: the attempt and the receiver's answer are in its log, retried later.
    await page.getByRole("link", { name: "All webhooks" }).click();
    await page.getByRole("link", { name: "legacy-slack" }).click();
    await page.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByText("retrying", { exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByText("the receiver answered 503").first()).toBeVisible();
    await page.getByText("Attempts and body").first().click();
    await expect(page.getByText("receiver is down for maintenance").first()).toBeVisible();
    const slack = JSON.parse(down.got[0]!.body) as Record<string, unknown>;
    expect(Object.keys(slack)).toEqual(["text"]);
    expect(slack.text).toContain("Test message from Nexus to legacy-slack");
    await page.screenshot({ path: `${SHOTS}/webhooks-failing-log.png`, fullPage: true });

    // Destructive actions ask first.
    await page.getByRole("button", { name: "Delete" }).click();
    await expect(page.getByRole("alertdialog")).toContainText("cannot be undone");
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("alertdialog")).toHaveCount(0);
  } finally {
    await ok.close();
    await down.close();
  }
});

test("a non-admin sees no webhook endpoints", async ({ page }) => {
  await signIn(page, "olivia");
  await page.goto("/settings/webhooks");
  await expect(page.getByText(/Only administrators see and manage webhook endpoints/)).toBeVisible();
});
