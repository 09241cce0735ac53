import type { ConfigObject, FieldError } from "./config-value";
import { compileConfigSchema } from "./validate-schema";

/** A compliance rule: a JSON Schema fragment the resolved config must satisfy where it applies. */
export interface Policy {
  name: string;
  description: string;
  severity: "error" | "warning";
  environments: readonly string[];
  /** null: every service. */
  services: readonly string[] | null;
  rule: unknown;
}

export interface Violation {
  policy: string;
  description: string;
  severity: "error" | "warning";
  errors: FieldError[];
}

export function policyApplies(p: Policy, service: string, env: string): boolean {
  return p.environments.includes(env) && (p.services === null || p.services.includes(service));
}

/** Every policy that applies to this service and environment and that the config fails. */
export function evaluatePolicies(policies: readonly Policy[], target: { service: string; env: string; value: ConfigObject }): Violation[] {
  const out: Violation[] = [];
  for (const p of policies) {
    if (!policyApplies(p, target.service, target.env)) continue;
    const compiled = compileConfigSchema(p.rule);
    const errors = compiled.ok ? compiled.validate(target.value) : [{ path: "", message: `policy ${p.name} is not a valid JSON Schema` }];
    if (errors.length > 0) out.push({ policy: p.name, description: p.description, severity: p.severity, errors });
  }
  return out;
}
