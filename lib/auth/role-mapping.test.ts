import { afterEach, describe, expect, it } from "vitest";
import { can } from "./permissions";
import { currentRoleMapping, DEFAULT_ROLE_MAPPING, parseRoleMapping, rolesForGroups } from "./role-mapping";

describe("parseRoleMapping", () => {
  it("reads the default mapping", () => {
    expect(parseRoleMapping(DEFAULT_ROLE_MAPPING)).toEqual([
      { group: "nexus-admins", binding: { role: "admin", environments: null } },
      { group: "nexus-operators", binding: { role: "operator", environments: null } },
      { group: "nexus-approvers", binding: { role: "approver", environments: null } },
      { group: "nexus-viewers", binding: { role: "viewer", environments: null } },
    ]);
  });

  it("reads environment-limited bindings, spaces and empty entries", () => {
    expect(parseRoleMapping(" ops=operator@development+staging , ,cab=approver@production,")).toEqual([
      { group: "ops", binding: { role: "operator", environments: ["development", "staging"] } },
      { group: "cab", binding: { role: "approver", environments: ["production"] } },
    ]);
  });

  it("reads an empty text as no rules", () => {
    expect(parseRoleMapping("")).toEqual([]);
  });

  it("rejects an entry without a role, naming it and the expected form", () => {
    expect(() => parseRoleMapping("nexus-admins=admin,oops")).toThrow(
      'NEXUS_ROLE_MAPPING: cannot read "oops"; write group=role or group=role@env1+env2',
    );
    expect(() => parseRoleMapping("ops=operator@")).toThrow(/cannot read "ops=operator@"/);
    expect(() => parseRoleMapping("ops=operator@Prod")).toThrow(/cannot read/);
  });

  it("rejects an unknown role, listing the roles there are", () => {
    expect(() => parseRoleMapping("root-group=root")).toThrow(
      'NEXUS_ROLE_MAPPING: "root" is not a role; use one of viewer, operator, approver, admin',
    );
  });
});

describe("rolesForGroups", () => {
  const rules = parseRoleMapping("admins=admin,ops=operator@staging,cab=approver@production,readers=viewer");

  it("makes a person in no mapped group a viewer", () => {
    expect(rolesForGroups([], rules)).toEqual([{ role: "viewer", environments: null }]);
    expect(rolesForGroups(["marketing"], rules)).toEqual([{ role: "viewer", environments: null }]);
    expect(rolesForGroups(["anyone"], [])).toEqual([{ role: "viewer", environments: null }]);
  });

  it("collects every binding of every mapped group the person is in", () => {
    expect(rolesForGroups(["ops", "cab", "marketing"], rules)).toEqual([
      { role: "operator", environments: ["staging"] },
      { role: "approver", environments: ["production"] },
    ]);
  });

  it("matches group names exactly", () => {
    expect(rolesForGroups(["Admins", "admins-old"], rules)).toEqual([{ role: "viewer", environments: null }]);
  });

  it("yields bindings that the permission matrix honours per environment", () => {
    const principal = { id: "p", kind: "user" as const, name: "P", roles: rolesForGroups(["ops"], rules) };
    expect(can(principal, "config:write", { environment: "staging" })).toBe(true);
    expect(can(principal, "config:write", { environment: "production" })).toBe(false);
  });
});

describe("currentRoleMapping", () => {
  const saved = process.env.NEXUS_ROLE_MAPPING;
  afterEach(() => {
    if (saved === undefined) delete process.env.NEXUS_ROLE_MAPPING;
    else process.env.NEXUS_ROLE_MAPPING = saved;
  });

  it("uses the default mapping when NEXUS_ROLE_MAPPING is unset", () => {
    delete process.env.NEXUS_ROLE_MAPPING;
    expect(currentRoleMapping()).toEqual(parseRoleMapping(DEFAULT_ROLE_MAPPING));
  });

  it("uses NEXUS_ROLE_MAPPING when set, and fails clearly when it is bad", () => {
    process.env.NEXUS_ROLE_MAPPING = "platform=admin";
    expect(rolesForGroups(["platform"], currentRoleMapping())).toEqual([{ role: "admin", environments: null }]);
    process.env.NEXUS_ROLE_MAPPING = "platform=superuser";
    expect(() => currentRoleMapping()).toThrow(/"superuser" is not a role/);
  });
});
