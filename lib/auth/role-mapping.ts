import { ROLES, type Role, type RoleBinding } from "./permissions";

/**
 * Maps identity-provider groups to Nexus roles. NEXUS_ROLE_MAPPING is a comma-separated list of
 * `group=role` or `group=role@env1+env2` (the binding then holds only in those environments).
 * A person in no mapped group is a viewer.
 */
export const DEFAULT_ROLE_MAPPING =
  "nexus-admins=admin,nexus-operators=operator,nexus-approvers=approver,nexus-viewers=viewer";

export interface MappingRule {
  group: string;
  binding: RoleBinding;
}

export function parseRoleMapping(text: string): MappingRule[] {
  const rules: MappingRule[] = [];
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const m = /^([^=\s]+)=([a-z]+)(?:@([a-z0-9-]+(?:\+[a-z0-9-]+)*))?$/.exec(entry);
    if (!m) throw new Error(`NEXUS_ROLE_MAPPING: cannot read "${entry}"; write group=role or group=role@env1+env2`);
    const role = m[2] as Role;
    if (!ROLES.includes(role)) {
      throw new Error(`NEXUS_ROLE_MAPPING: "${m[2]}" is not a role; use one of ${ROLES.join(", ")}`);
    }
    rules.push({ group: m[1]!, binding: { role, environments: m[3] ? m[3].split("+") : null } });
  }
  return rules;
}

export function rolesForGroups(groups: readonly string[], rules: readonly MappingRule[]): RoleBinding[] {
  const bindings = rules.filter((r) => groups.includes(r.group)).map((r) => r.binding);
  return bindings.length > 0 ? bindings : [{ role: "viewer", environments: null }];
}

export function currentRoleMapping(): MappingRule[] {
  return parseRoleMapping(process.env.NEXUS_ROLE_MAPPING ?? DEFAULT_ROLE_MAPPING);
}
