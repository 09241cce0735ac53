import { describe, expect, it } from "vitest";
import { checkWebhookUrl, endpointWants, matchesEventType, slackText, webhookBody } from "./webhook-events";

describe("webhook subscriptions", () => {
  it("matches exact types, families and everything", () => {
    expect(matchesEventType(["config.saved"], "config.saved")).toBe(true);
    expect(matchesEventType(["config.saved"], "config.saved_x")).toBe(false);
    expect(matchesEventType(["drift.*"], "drift.detected")).toBe(true);
    expect(matchesEventType(["drift.*"], "driftx.detected")).toBe(false);
    expect(matchesEventType(["change_request.*"], "config.saved")).toBe(false);
    expect(matchesEventType(["*"], "health.status_changed")).toBe(true);
  });

  it("filters by service and environment, letting events about every service through", () => {
    const ep = { eventTypes: ["*"], services: ["redis"], environments: ["production"] };
    expect(endpointWants(ep, "config.saved", { service: "redis", environment: "production" })).toBe(true);
    expect(endpointWants(ep, "config.saved", { service: "postgres", environment: "production" })).toBe(false);
    expect(endpointWants(ep, "config.saved", { service: "redis", environment: "staging" })).toBe(false);
    expect(endpointWants(ep, "config.saved", { service: null, environment: null, layer: "shared" })).toBe(true);
    expect(endpointWants(ep, "change_request.opened", { service: null, services: ["api", "redis"], environment: "production" })).toBe(true);
    expect(endpointWants(ep, "change_request.opened", { service: null, services: ["api", "web"], environment: "production" })).toBe(false);
  });
});

describe("webhook bodies", () => {
  const at = new Date("2026-11-25T10:00:00.000Z");
  it("standard: {type, timestamp, data}", () => {
    expect(JSON.parse(webhookBody("standard", "secret.rotated", { service: "redis", environment: "staging", name: "pw", version: 3 }, at))).toEqual({
      type: "secret.rotated",
      timestamp: "2026-11-25T10:00:00.000Z",
      data: { service: "redis", environment: "staging", name: "pw", version: 3 },
    });
  });

  it("slack: a {text} line naming what changed and where", () => {
    const body = JSON.parse(webhookBody("slack", "config.saved", { service: "redis", environment: "staging", layer: "overlay", revision: 4, author: "Olivia" }, at, "https://nexus.example"));
    expect(Object.keys(body)).toEqual(["text"]);
    expect(body.text).toBe(":pencil2: Olivia saved the config *redis* in *staging* (r4) — <https://nexus.example|open Nexus>");
    expect(slackText("drift.detected", { service: "api", environment: "production", status: "drifted", previous: "in_sync", paths: ["/a", "/b"] })).toBe(
      ":warning: Drift *api* in *production*: in_sync → drifted (/a, /b)",
    );
    expect(slackText("change_request.approved", { number: 12, service: null, environment: "production", state: "approved" })).toBe(
      ":twisted_rightwards_arrows: Change request #12 in *production* approved (now approved)",
    );
    expect(slackText("health.status_changed", { service: "redis", environment: "production", check: "tcp", status: "down", previous: "up" })).toContain("up → down");
  });
});

describe("webhook URLs", () => {
  it("accepts http and https only, without credentials", () => {
    expect(checkWebhookUrl("https://hooks.example.com/x")).toBeNull();
    expect(checkWebhookUrl("http://10.0.0.5:8080/hook")).toBeNull();
    expect(checkWebhookUrl("ftp://example.com/")).toMatch(/only http and https/);
    expect(checkWebhookUrl("javascript:alert(1)")).toMatch(/only http and https/);
    expect(checkWebhookUrl("file:///etc/passwd")).toMatch(/only http and https/);
    expect(checkWebhookUrl("https://user:pw@example.com/")).toMatch(/no user name/);
    expect(checkWebhookUrl("not a url")).toBe("not a valid URL");
  });
});
