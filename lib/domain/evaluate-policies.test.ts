import { describe, expect, it } from "vitest";
import { evaluatePolicies, type Policy } from "./evaluate-policies";

const policies: Policy[] = [
  { name: "prod-db-ssl", description: "database.ssl must be true", severity: "error", environments: ["production"], services: null,
    rule: { properties: { database: { properties: { ssl: { const: true } }, required: ["ssl"] } }, required: ["database"] } },
  { name: "prod-login-attempts", description: "max_login_attempts <= 5", severity: "error", environments: ["production"], services: ["api-gateway"],
    rule: { properties: { security: { properties: { max_login_attempts: { type: "integer", maximum: 5 } } } } } },
  { name: "staging-log-level", description: "INFO or stricter", severity: "warning", environments: ["staging"], services: null,
    rule: { properties: { monitoring: { properties: { log_level: { enum: ["INFO", "WARNING"] } } } } } },
];

describe("policies", () => {
  it("passes a compliant production config", () => {
    expect(evaluatePolicies(policies, { service: "api-gateway", env: "production", value: { database: { ssl: true }, security: { max_login_attempts: 3 } } })).toEqual([]);
  });

  it("reports each failing policy with its severity and the failing path", () => {
    const v = evaluatePolicies(policies, { service: "api-gateway", env: "production", value: { database: { ssl: false }, security: { max_login_attempts: 10 } } });
    expect(v.map((x) => [x.policy, x.severity])).toEqual([["prod-db-ssl", "error"], ["prod-login-attempts", "error"]]);
    expect(v[0]!.errors[0]!.path).toBe("/database/ssl");
    expect(v[1]!.errors[0]!.path).toBe("/security/max_login_attempts");
  });

  it("applies only to its environments and services", () => {
    const value = { database: { ssl: false }, security: { max_login_attempts: 10 }, monitoring: { log_level: "DEBUG" } };
    expect(evaluatePolicies(policies, { service: "redis", env: "production", value }).map((x) => x.policy)).toEqual(["prod-db-ssl"]);
    expect(evaluatePolicies(policies, { service: "redis", env: "staging", value })).toMatchObject([{ policy: "staging-log-level", severity: "warning" }]);
    expect(evaluatePolicies(policies, { service: "redis", env: "development", value })).toEqual([]);
  });
});
