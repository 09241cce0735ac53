import type { Principal } from "@/lib/auth/permissions";
import { countRows, type Queryable } from "./rows";

/** The demo's people, as principals (PRODUCT.md roles). */
export const olivia: Principal = { id: "olivia", kind: "user", name: "Olivia", roles: [{ role: "operator", environments: null }] };
export const morgan: Principal = { id: "morgan", kind: "user", name: "Morgan", roles: [{ role: "viewer", environments: null }] };
export const alice: Principal = { id: "alice", kind: "user", name: "Alice", roles: [{ role: "approver", environments: null }] };
export const admin: Principal = { id: "admin", kind: "user", name: "Admin", roles: [{ role: "admin", environments: null }] };
/** An operator whose role reaches development only. */
export const devOnly: Principal = { id: "dana", kind: "user", name: "Dana", roles: [{ role: "operator", environments: ["development"] }] };

/** Row counts of what the config use cases write. */
export async function configCounts(handle: Queryable) {
  return {
    revisions: await countRows(handle, "config_revisions"),
    layers: await countRows(handle, "config_layers"),
    services: await countRows(handle, "services"),
    environments: await countRows(handle, "environments"),
    schemas: await countRows(handle, "schema_revisions"),
    secrets: await countRows(handle, "secret_versions"),
    audit: await countRows(handle, "audit_events"),
  };
}

/** A layer reference as the config use cases take it. */
export const overlay = (service: string, env: string) => ({ layer: "overlay" as const, service, env });
export const base = (service: string) => ({ layer: "base" as const, service, env: null });
