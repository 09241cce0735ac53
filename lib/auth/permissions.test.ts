import { describe, expect, it } from "vitest";
import {
  can,
  PERMISSIONS,
  permissionsOf,
  primaryRole,
  ROLES,
  TOKEN_SCOPES,
  type Permission,
  type Principal,
  type Role,
  type RoleBinding,
  type TokenScope,
} from "./permissions";

// The matrix, written out by hand. A change to lib/auth/permissions.ts must change this table too,
// so that nobody widens (or narrows) a role by accident.
const EXPECTED: Record<Role, Permission[]> = {
  viewer: ["config:read", "changes:read", "drift:read", "health:read", "audit:read"],
  operator: [
    "config:read",
    "config:write",
    "secrets:write",
    "observed:write",
    "changes:read",
    "changes:create",
    "drift:read",
    "drift:remediate",
    "health:read",
    "health:manage",
    "audit:read",
    "services:manage",
  ],
  approver: [
    "config:read",
    "changes:read",
    "changes:create",
    "changes:approve",
    "changes:apply",
    "drift:read",
    "health:read",
    "audit:read",
  ],
  admin: [
    "config:read",
    "config:write",
    "secrets:read",
    "secrets:write",
    "observed:write",
    "changes:read",
    "changes:create",
    "changes:approve",
    "changes:apply",
    "changes:bypass",
    "drift:read",
    "drift:remediate",
    "health:read",
    "health:manage",
    "audit:read",
    "services:manage",
    "tokens:manage",
    "settings:manage",
  ],
};

const user = (roles: RoleBinding[]): Principal => ({ id: "u1", kind: "user", name: "Test User", roles });
const everywhere = (role: Role): RoleBinding => ({ role, environments: null });
const token = (
  role: Role,
  scopes: TokenScope[],
  limits: { services?: string[] | null; environments?: string[] | null } = {},
): Principal => ({
  id: "token:t1",
  kind: "token",
  name: "token t1",
  // authenticateToken binds the token's role to the token's environments, as here.
  roles: [{ role, environments: limits.environments ?? null }],
  scopes,
  services: limits.services ?? null,
  environments: limits.environments ?? null,
});

describe("the permission matrix", () => {
  it("knows exactly these roles, permissions and token scopes", () => {
    expect([...ROLES]).toEqual(["viewer", "operator", "approver", "admin"]);
    expect([...PERMISSIONS].sort()).toEqual([...EXPECTED.admin].sort());
    expect([...TOKEN_SCOPES]).toEqual(["config:read", "secrets:read", "observed:write", "admin"]);
  });

  it.each(ROLES)("gives %s exactly its expected set of permissions", (role) => {
    expect(permissionsOf(user([everywhere(role)])).sort()).toEqual([...EXPECTED[role]].sort());
  });

  const cells = ROLES.flatMap((role) =>
    PERMISSIONS.map((permission) => ({ role, permission, allowed: EXPECTED[role].includes(permission) })),
  );
  it.each(cells)("$role × $permission → $allowed", ({ role, permission, allowed }) => {
    expect(can(user([everywhere(role)]), permission)).toBe(allowed);
    // The same answer in any concrete environment when the binding is not limited.
    expect(can(user([everywhere(role)]), permission, { environment: "production", service: "vault" })).toBe(allowed);
  });

  it("denies everything to a person with no role binding (default deny)", () => {
    expect(permissionsOf(user([]))).toEqual([]);
  });

  it("lets the system principal do everything", () => {
    const system: Principal = { id: "system", kind: "system", name: "Nexus", roles: [] };
    expect(permissionsOf(system)).toEqual([...PERMISSIONS]);
  });

  it("never lets a viewer change anything", () => {
    const writes = PERMISSIONS.filter((p) => !p.endsWith(":read"));
    for (const p of writes) expect(can(user([everywhere("viewer")]), p), p).toBe(false);
  });

  it("names the highest role for display", () => {
    expect(primaryRole(user([]))).toBe("viewer");
    expect(primaryRole(user([everywhere("approver"), everywhere("operator")]))).toBe("approver");
    expect(primaryRole(user([everywhere("viewer"), { role: "admin", environments: ["staging"] }]))).toBe("admin");
  });
});

describe("role bindings limited to environments", () => {
  const stagingOperator = user([everywhere("viewer"), { role: "operator", environments: ["development", "staging"] }]);

  it("allows the role's permissions in the listed environments only", () => {
    expect(can(stagingOperator, "config:write", { environment: "development" })).toBe(true);
    expect(can(stagingOperator, "config:write", { environment: "staging" })).toBe(true);
    expect(can(stagingOperator, "config:write", { environment: "production" })).toBe(false);
  });

  it("keeps permissions of an unlimited binding in every environment", () => {
    expect(can(stagingOperator, "config:read", { environment: "production" })).toBe(true);
  });

  it("counts a limited binding when no environment is named (the use case checks the concrete one)", () => {
    expect(can(stagingOperator, "config:write")).toBe(true);
    expect(permissionsOf(stagingOperator)).toContain("config:write");
  });

  it("does not widen a limited role beyond its own permissions", () => {
    const prodApprover = user([{ role: "approver", environments: ["production"] }]);
    expect(can(prodApprover, "changes:approve", { environment: "production" })).toBe(true);
    expect(can(prodApprover, "changes:approve", { environment: "staging" })).toBe(false);
    expect(can(prodApprover, "config:write", { environment: "production" })).toBe(false);
    expect(can(prodApprover, "config:read", { environment: "staging" })).toBe(false);
  });
});

describe("token scopes narrow the token's role, never widen it", () => {
  it("with the admin scope, keeps the role whole", () => {
    for (const role of ROLES) {
      expect(permissionsOf(token(role, ["admin"])).sort(), role).toEqual([...EXPECTED[role]].sort());
    }
  });

  it("with narrow scopes, allows only the scoped permissions the role has", () => {
    const t = token("admin", ["config:read", "observed:write"]);
    expect(permissionsOf(t).sort()).toEqual(["config:read", "observed:write"]);
    expect(can(t, "tokens:manage")).toBe(false);
    expect(can(t, "secrets:read")).toBe(false);
    expect(can(t, "audit:read")).toBe(false);
  });

  it("never grants a scoped permission that the role lacks", () => {
    // A viewer cannot read secrets or report observed config, whatever the scopes say.
    const t = token("viewer", ["config:read", "secrets:read", "observed:write"]);
    expect(permissionsOf(t)).toEqual(["config:read"]);
    expect(permissionsOf(token("operator", ["secrets:read"]))).toEqual([]);
    expect(permissionsOf(token("admin", ["secrets:read"]))).toEqual(["secrets:read"]);
  });

  it("denies everything to a token without scopes", () => {
    expect(permissionsOf(token("admin", []))).toEqual([]);
  });

  it("ignores a scope it does not know", () => {
    expect(permissionsOf(token("admin", ["everything" as TokenScope]))).toEqual([]);
  });
});

describe("token service and environment limits", () => {
  const t = token("operator", ["config:read", "observed:write"], {
    services: ["api-gateway"],
    environments: ["staging"],
  });

  it("allows the listed service in the listed environment", () => {
    expect(can(t, "config:read", { service: "api-gateway", environment: "staging" })).toBe(true);
    expect(can(t, "observed:write", { service: "api-gateway", environment: "staging" })).toBe(true);
  });

  it("denies another service", () => {
    expect(can(t, "config:read", { service: "vault", environment: "staging" })).toBe(false);
    expect(can(t, "config:read", { service: "vault" })).toBe(false);
  });

  it("denies another environment", () => {
    expect(can(t, "config:read", { service: "api-gateway", environment: "production" })).toBe(false);
    expect(can(t, "config:read", { environment: "production" })).toBe(false);
  });

  it("limits by environment through the role binding too", () => {
    // Even if the principal's own environments were missing, the bound role is limited.
    const bound: Principal = { ...t, environments: null };
    expect(can(bound, "config:read", { environment: "production" })).toBe(false);
    expect(can(bound, "config:read", { environment: "staging" })).toBe(true);
  });

  it("treats null limits as any service and any environment", () => {
    const any = token("viewer", ["config:read"]);
    expect(can(any, "config:read", { service: "vault", environment: "production" })).toBe(true);
  });
});
