import "server-only";
import { services } from "@/drizzle/schema";
import { evaluatePolicies, policyApplies, type Policy, type Violation } from "@/lib/domain/evaluate-policies";
import { authorize, reader, type UseCaseArgs } from "../context";
import { loadStack } from "../configs/load-stack";
import { allEnvironments } from "../configs/lookup";
import { resolveStack } from "../configs/resolve-stack";
import { policies } from "@/drizzle/schema";

/** The compliance board: every service × environment whose resolved config fails a policy now. */
export async function listViolations({ principal, tx }: UseCaseArgs<void>) {
  authorize(principal, "config:read");
  const db = await reader(tx);
  const rules = (await db.select().from(policies)) as Policy[];
  const envs = await allEnvironments(db);
  const out: { service: string; env: string; violations: Violation[] }[] = [];
  let checked = 0;
  for (const svc of await db.select().from(services).orderBy(services.name)) {
    for (const env of envs) {
      if (!rules.some((p) => policyApplies(p, svc.name, env.name))) continue;
      checked += 1;
      const stack = await loadStack(db, svc, env, { decryptSecrets: false });
      stack.secrets = Object.fromEntries(stack.secretNames.map((n) => [n, ""]));
      const r = resolveStack(stack, true);
      if (!r.ok) {
        out.push({ service: svc.name, env: env.name, violations: [{ policy: "(config does not resolve)", description: "", severity: "error", errors: r.errors }] });
        continue;
      }
      const v = evaluatePolicies(rules, { service: svc.name, env: env.name, value: r.value });
      if (v.length > 0) out.push({ service: svc.name, env: env.name, violations: v });
    }
  }
  return { checked, failing: out };
}
