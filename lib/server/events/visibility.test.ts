import { describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/permissions";
import { eventPermission, visibleTo } from "./visibility";

const user = (role: Principal["roles"][number]["role"], environments: string[] | null = null): Principal => ({ id: role, kind: "user", name: role, roles: [{ role, environments }] });
const token = (scopes: Principal["scopes"], services: string[] | null = null, environments: string[] | null = null): Principal => ({
  id: "t",
  kind: "token",
  name: "t",
  roles: [{ role: "admin", environments: null }],
  scopes,
  services,
  environments,
});
const ev = (type: string, payload: Record<string, unknown>) => ({ type, payload });

describe("visibleTo", () => {
  it("maps each event family to the read permission of its area; unknown families to none", () => {
    expect(eventPermission("config.saved")).toBe("config:read");
    expect(eventPermission("secret.rotated")).toBe("config:read");
    expect(eventPermission("change_request.applied")).toBe("changes:read");
    expect(eventPermission("drift.detected")).toBe("drift:read");
    expect(eventPermission("health.incident_opened")).toBe("health:read");
    expect(eventPermission("webhook.disabled")).toBeNull();
    expect(visibleTo(user("admin"), ev("webhook.disabled", {}))).toBe(false);
  });

  it("honours environment-scoped roles", () => {
    const dev = user("viewer", ["development"]);
    expect(visibleTo(dev, ev("config.saved", { service: "a", environment: "development" }))).toBe(true);
    expect(visibleTo(dev, ev("config.saved", { service: "a", environment: "production" }))).toBe(false);
    expect(visibleTo(dev, ev("drift.detected", { service: "a", environment: "production" }))).toBe(false);
    // A base layer or the shared template reaches every environment, development included.
    expect(visibleTo(dev, ev("config.saved", { service: "a", environment: null }))).toBe(true);
  });

  it("honours token scopes: services, environments, and what the scope allows", () => {
    const t = token(["config:read"], ["a"], ["staging"]);
    expect(visibleTo(t, ev("config.saved", { service: "a", environment: "staging" }))).toBe(true);
    expect(visibleTo(t, ev("config.saved", { service: "b", environment: "staging" }))).toBe(false);
    expect(visibleTo(t, ev("config.saved", { service: "a", environment: "production" }))).toBe(false);
    expect(visibleTo(t, ev("change_request.applied", { service: "a", environment: "staging" }))).toBe(false);
    expect(visibleTo(token(["admin"], ["a"]), ev("change_request.applied", { service: "a", environment: "staging" }))).toBe(true);
  });

  it("a change request over several services needs every one of them", () => {
    const t = token(["admin"], ["a"]);
    expect(visibleTo(t, ev("change_request.opened", { service: null, services: ["a", "b"], environment: "staging" }))).toBe(false);
    expect(visibleTo(t, ev("change_request.opened", { service: null, services: ["a"], environment: "staging" }))).toBe(true);
    expect(visibleTo(user("viewer"), ev("change_request.opened", { service: null, services: ["a", "b"], environment: "staging" }))).toBe(true);
  });
});
