// Who may call which API route: one row per route file and method under app/api, read by
// tests/integration/route-matrix.test.ts. That test enumerates the route files from the file system,
// so a new route without a row here fails it: add the row in the same change as the route.
//
// The outcome for each caller is derived from the permission matrix (permissions.ts), never written
// per role: a caller without `access` (or, past the wrapper, without `use`) must get 401/403
// problem+json; a caller with them must get neither (nor a 5xx).
import type { Permission } from "./permissions";

export interface RouteExpectation {
  /** "public": anyone, no authentication. Otherwise the permission the route wrapper checks. */
  access: "public" | Permission;
  /** A permission the use case checks on top (e.g. the wrapper lets any reader reach approve). */
  use?: Permission;
  /**
   * What the URL or body targets: a token limited to other services/environments must get 403.
   * "service" and "environment" also cover routes naming both.
   */
  target?: "service" | "environment" | "service+environment";
  /** A valid body, so that callers reach the use case's own target check (not a 422 first). */
  body?: Record<string, unknown>;
  /** A valid query string, for the same reason. */
  query?: string;
  /** Path parameters beyond the test's defaults (svc, env, name, id, n). */
  params?: Record<string, string>;
  /** A 403 a permitted caller may still get for a business rule (e.g. only the author cancels). */
  businessRefusal?: RegExp;
  /** Why the route is not called (exceptional; the row is still required). */
  notCalled?: string;
}

const yamlLayer = { content: "route_matrix: true\n", format: "yaml", message: "route matrix", baseRevision: null };
const validate = { content: "route_matrix: true\n", format: "yaml" };
const rollback = { toRevision: 1, baseRevision: null };

export const ROUTE_EXPECTATIONS: Record<string, RouteExpectation> = {
  // Outside /api/v1
  "GET /api/[...path]": { access: "public" },
  "POST /api/[...path]": { access: "public" },
  "PUT /api/[...path]": { access: "public" },
  "PATCH /api/[...path]": { access: "public" },
  "DELETE /api/[...path]": { access: "public" },
  "GET /api/auth/[...nextauth]": {
    access: "public",
    notCalled: "next-auth's OIDC flow needs Next's request scope; e2e/sign-in.spec.ts drives it end to end",
  },
  "POST /api/auth/[...nextauth]": {
    access: "public",
    notCalled: "next-auth's OIDC flow (own CSRF token); e2e/sign-in.spec.ts drives it end to end",
  },
  "GET /api/healthz": { access: "public" },
  "GET /api/readyz": { access: "public" },
  "GET /api/metrics": { access: "public" },

  // Audit
  "GET /api/v1/audit": { access: "audit:read" },
  "GET /api/v1/audit/verify": { access: "audit:read" },
  "GET /api/v1/audit/export": { access: "audit:read" },

  // Drift
  "GET /api/v1/drift": { access: "drift:read" },
  "GET /api/v1/drift/summary": { access: "drift:read" },
  "GET /api/v1/drift/[svc]/[env]": { access: "drift:read", target: "service+environment" },
  "POST /api/v1/drift/[svc]/[env]/acknowledge": { access: "drift:remediate", target: "service+environment" },
  "POST /api/v1/drift/[svc]/[env]/adopt": { access: "drift:remediate", target: "service+environment" },
  "POST /api/v1/drift/[svc]/[env]/reapply": { access: "drift:remediate", target: "service+environment" },
  "POST /api/v1/drift/[svc]/[env]/ignore": {
    access: "drift:remediate",
    target: "service+environment",
    body: { pattern: "/route-matrix/**" },
  },
  "DELETE /api/v1/drift/[svc]/[env]/ignore/[id]": { access: "drift:remediate", target: "service+environment" },
  "PUT /api/v1/drift/[svc]/[env]/target": { access: "services:manage", target: "service+environment" },
  "PUT /api/v1/environments/[env]/drift-settings": { access: "settings:manage" },
  "POST /api/v1/services/[svc]/environments/[env]/observed": {
    access: "observed:write",
    target: "service+environment",
    body: { route_matrix: true },
  },

  // Health
  "GET /api/v1/health": { access: "health:read" },
  "GET /api/v1/health/incidents": { access: "health:read" },
  "GET /api/v1/health/services/[svc]": { access: "health:read", target: "service" },
  "GET /api/v1/health/checks": { access: "health:read" },
  "POST /api/v1/health/checks": { access: "health:manage" },
  "GET /api/v1/health/checks/[id]": { access: "health:read" },
  "PUT /api/v1/health/checks/[id]": { access: "health:manage" },
  "DELETE /api/v1/health/checks/[id]": { access: "health:manage" },
  "GET /api/v1/health/alert-rules": { access: "health:read" },
  "POST /api/v1/health/alert-rules": { access: "health:manage" },
  "DELETE /api/v1/health/alert-rules/[id]": { access: "health:manage" },

  // Webhooks: administrators only (endpoints carry signing secrets).
  "GET /api/v1/webhooks": { access: "settings:manage" },
  "POST /api/v1/webhooks": { access: "settings:manage" },
  "GET /api/v1/webhooks/[id]": { access: "settings:manage" },
  "PATCH /api/v1/webhooks/[id]": { access: "settings:manage" },
  "DELETE /api/v1/webhooks/[id]": { access: "settings:manage" },
  "GET /api/v1/webhooks/[id]/deliveries": { access: "settings:manage" },
  "POST /api/v1/webhooks/[id]/deliveries/[deliveryId]/redeliver": { access: "settings:manage" },
  "POST /api/v1/webhooks/[id]/rotate-secret": { access: "settings:manage" },
  "POST /api/v1/webhooks/[id]/test": { access: "settings:manage" },

  // Change requests: the wrapper admits readers; the use case checks the verb against the target environment.
  "GET /api/v1/change-requests": { access: "changes:read" },
  "POST /api/v1/change-requests": {
    access: "changes:create",
    target: "service+environment",
    body: { kind: "edit", service: "{svc}", env: "{env}", content: "route_matrix: true\n", format: "yaml" },
  },
  "GET /api/v1/change-requests/[id]": { access: "changes:read", target: "service+environment" },
  "POST /api/v1/change-requests/[id]/approve": {
    access: "changes:approve",
    target: "service+environment",
    businessRefusal: /author|already|approv/i,
  },
  "POST /api/v1/change-requests/[id]/reject": { access: "changes:approve", target: "service+environment", businessRefusal: /author|already/i },
  "POST /api/v1/change-requests/[id]/apply": { access: "changes:read", use: "changes:apply", target: "service+environment" },
  "POST /api/v1/change-requests/[id]/schedule": { access: "changes:apply", target: "service+environment", body: { at: "2099-01-01T00:00:00Z" } },
  "POST /api/v1/change-requests/[id]/cancel": {
    access: "changes:read",
    use: "changes:create",
    target: "service+environment",
    businessRefusal: /author/i,
  },
  "POST /api/v1/change-requests/[id]/comments": {
    access: "changes:read",
    use: "changes:create",
    target: "service+environment",
    body: { body: "route matrix" },
    businessRefusal: /comment/i,
  },
  "POST /api/v1/change-requests/[id]/refresh": { access: "changes:read", use: "changes:create", target: "service+environment" },
  "POST /api/v1/change-requests/[id]/revert": { access: "changes:read", use: "changes:create", target: "service+environment" },
  "POST /api/v1/change-requests/[id]/review-bypass": {
    access: "changes:read",
    use: "changes:approve",
    target: "service+environment",
    businessRefusal: /bypass|review/i,
  },

  // Catalog, settings, policies
  "GET /api/v1/compliance": { access: "config:read" },
  "GET /api/v1/environments": { access: "config:read" },
  "PUT /api/v1/environments/[env]/approval-rule": { access: "settings:manage" },
  "GET /api/v1/environments/[env]/variables": { access: "config:read", target: "environment" },
  "PUT /api/v1/environments/[env]/variables/[name]": { access: "settings:manage" },
  "DELETE /api/v1/environments/[env]/variables/[name]": { access: "settings:manage" },
  "GET /api/v1/events": { access: "config:read" },
  "POST /api/v1/import": { access: "config:write" },
  "GET /api/v1/me": { access: "config:read" },
  "GET /api/v1/policies": { access: "config:read" },
  "PUT /api/v1/policies/[name]": { access: "settings:manage" },
  "DELETE /api/v1/policies/[name]": { access: "settings:manage" },
  "GET /api/v1/services": { access: "config:read" },
  "POST /api/v1/services": { access: "services:manage" },
  "GET /api/v1/services/[svc]/schema": { access: "config:read", target: "service" },
  "PUT /api/v1/services/[svc]/schema": { access: "settings:manage" },
  "GET /api/v1/services/[svc]/compare": { access: "config:read", target: "service", query: "from=staging&to=production" },

  // Layers: service base
  "GET /api/v1/services/[svc]/base": { access: "config:read", target: "service" },
  "PUT /api/v1/services/[svc]/base": { access: "config:write", target: "service", body: yamlLayer },
  "POST /api/v1/services/[svc]/base/validate": { access: "config:read", target: "service", body: validate },
  "POST /api/v1/services/[svc]/base/rollback": { access: "config:write", target: "service", body: rollback },
  "GET /api/v1/services/[svc]/base/revisions": { access: "config:read", target: "service" },
  "GET /api/v1/services/[svc]/base/revisions/[n]": { access: "config:read", target: "service" },
  "GET /api/v1/services/[svc]/base/diff": { access: "config:read", target: "service", query: "from=0&to=1" },

  // Layers: environment overlay, resolved configs, secrets
  "GET /api/v1/services/[svc]/environments/[env]/config": { access: "config:read", target: "service+environment" },
  "GET /api/v1/services/[svc]/environments/[env]/resolved": { access: "config:read", target: "service+environment" },
  "GET /api/v1/services/[svc]/environments/[env]/revisions": { access: "config:read", target: "service+environment" },
  "GET /api/v1/services/[svc]/environments/[env]/layer": { access: "config:read", target: "service+environment" },
  "PUT /api/v1/services/[svc]/environments/[env]/layer": { access: "config:write", target: "service+environment", body: yamlLayer },
  "POST /api/v1/services/[svc]/environments/[env]/layer/validate": {
    access: "config:read",
    target: "service+environment",
    body: validate,
  },
  "POST /api/v1/services/[svc]/environments/[env]/layer/rollback": {
    access: "config:write",
    target: "service+environment",
    body: rollback,
  },
  "GET /api/v1/services/[svc]/environments/[env]/layer/revisions": { access: "config:read", target: "service+environment" },
  "GET /api/v1/services/[svc]/environments/[env]/layer/revisions/[n]": { access: "config:read", target: "service+environment" },
  "GET /api/v1/services/[svc]/environments/[env]/layer/diff": {
    access: "config:read",
    target: "service+environment",
    query: "from=0&to=1",
  },
  "GET /api/v1/services/[svc]/environments/[env]/secrets": { access: "config:read", target: "service+environment" },
  "POST /api/v1/services/[svc]/environments/[env]/secrets": {
    access: "secrets:write",
    target: "service+environment",
    body: { name: "route-matrix", value: "route-matrix-value" },
  },
  "DELETE /api/v1/services/[svc]/environments/[env]/secrets/[name]": {
    access: "secrets:write",
    target: "service+environment",
    params: { name: "route-matrix" },
  },
  "POST /api/v1/services/[svc]/environments/[env]/secrets/[name]/reveal": { access: "secrets:read", target: "service+environment" },

  // Layers: the shared template
  "GET /api/v1/shared": { access: "config:read" },
  "PUT /api/v1/shared": { access: "config:write", body: yamlLayer },
  "POST /api/v1/shared/validate": { access: "config:read", body: validate },
  "POST /api/v1/shared/rollback": { access: "config:write", body: rollback },
  "GET /api/v1/shared/revisions": { access: "config:read" },
  "GET /api/v1/shared/revisions/[n]": { access: "config:read" },
  "GET /api/v1/shared/diff": { access: "config:read", query: "from=0&to=1" },

  // Backup and restore: administrators only (the bundle is the whole SSOT, secrets sealed).
  "GET /api/v1/backup": { access: "settings:manage" },
  "POST /api/v1/restore": { access: "settings:manage", query: "dryRun=1" },

  // Tokens
  "GET /api/v1/tokens": { access: "tokens:manage" },
  "POST /api/v1/tokens": { access: "tokens:manage" },
  "DELETE /api/v1/tokens/[id]": { access: "tokens:manage" },
};
