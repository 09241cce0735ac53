// The one permission matrix of Nexus. Route handlers, use cases and the console all read it;
// nothing else decides what a role may do.

export const ROLES = ["viewer", "operator", "approver", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
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
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = ["config:read", "changes:read", "drift:read", "health:read", "audit:read"];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  viewer: new Set(READ),
  operator: new Set<Permission>([
    ...READ,
    "config:write",
    "secrets:write",
    "observed:write",
    "changes:create",
    "drift:remediate",
    "health:manage",
    "services:manage",
  ]),
  approver: new Set<Permission>([...READ, "changes:create", "changes:approve", "changes:apply"]),
  admin: new Set<Permission>(PERMISSIONS),
};

/**
 * Token scopes narrow what a token's role allows; they never widen it. `admin` keeps the role whole.
 */
export const TOKEN_SCOPES = ["config:read", "secrets:read", "observed:write", "admin"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

const SCOPE_PERMISSIONS: Record<TokenScope, readonly Permission[]> = {
  "config:read": ["config:read"],
  "secrets:read": ["secrets:read"],
  "observed:write": ["observed:write"],
  admin: PERMISSIONS,
};

/** A role granted to a principal, optionally limited to some environments (null: all of them). */
export interface RoleBinding {
  role: Role;
  environments: string[] | null;
}

export interface Principal {
  id: string;
  kind: "user" | "token" | "system";
  name: string;
  roles: RoleBinding[];
  /** For tokens: the scopes, and the services and environments the token is limited to (null: any). */
  scopes?: TokenScope[];
  services?: string[] | null;
  environments?: string[] | null;
}

export interface Target {
  environment?: string | null;
  service?: string | null;
}

export function roleAllows(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/**
 * Default deny. Without a target environment, a binding limited to environments still counts
 * (it allows the permission somewhere); the use case then checks the concrete environment.
 */
export function can(principal: Principal, permission: Permission, target: Target = {}): boolean {
  if (principal.kind === "system") return true;
  if (principal.kind === "token") {
    const scopes = principal.scopes ?? [];
    if (!scopes.some((s) => SCOPE_PERMISSIONS[s]?.includes(permission))) return false;
    if (target.service && principal.services && !principal.services.includes(target.service)) return false;
    if (target.environment && principal.environments && !principal.environments.includes(target.environment)) {
      return false;
    }
  }
  return principal.roles.some(
    (b) =>
      roleAllows(b.role, permission) &&
      (!target.environment || b.environments === null || b.environments.includes(target.environment)),
  );
}

/** Every permission the principal holds somewhere; the console uses it to show or hide controls. */
export function permissionsOf(principal: Principal): Permission[] {
  return PERMISSIONS.filter((p) => can(principal, p));
}

/** The highest role, for display. */
export function primaryRole(principal: Principal): Role {
  let best: Role = "viewer";
  for (const b of principal.roles) if (ROLES.indexOf(b.role) > ROLES.indexOf(best)) best = b.role;
  return best;
}
