import Link from "next/link";
import { NewPolicyButton, PolicyActions } from "@/components/settings/policy-editor";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { listEnvironments } from "@/lib/server/catalog/list-environments";
import { listPolicies } from "@/lib/server/policies/policies";
import { listViolations } from "@/lib/server/policies/list-violations";

export const metadata = { title: "Compliance" };

export default async function CompliancePage() {
  const { principal } = await requireUser();
  const [rules, board, envList] = await Promise.all([
    listPolicies({ principal, input: undefined }),
    listViolations({ principal, input: undefined }),
    listEnvironments({ principal, input: undefined }),
  ]);
  const admin = can(principal, "settings:manage");
  const envs = envList.map((e) => e.name);
  return (
    <>
      <PageHeader
        title="Compliance"
        description={`Policies evaluated against every resolved config they apply to (${board.checked} checked now). Errors block promotions; warnings inform.`}
      />
      <div className="space-y-6">
        <Card title={`Failing now (${board.failing.length})`}>
          {board.failing.length === 0 ? (
            <EmptyState title="Every config satisfies its policies" />
          ) : (
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase tracking-wide text-slate-500">
                <tr><th className="py-2 pr-4 font-medium">Service</th><th className="py-2 pr-4 font-medium">Environment</th><th className="py-2 font-medium">Violations</th></tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {board.failing.map((f) => (
                  <tr key={`${f.service}/${f.env}`} className="align-top">
                    <td className="py-2 pr-4 font-mono"><Link className="text-indigo-700 hover:underline" href={`/services/${f.service}`}>{f.service}</Link></td>
                    <td className="py-2 pr-4">{f.env}</td>
                    <td className="py-2">
                      <ul className="space-y-1">
                        {f.violations.map((v) => (
                          <li key={v.policy}>
                            <Badge tone={v.severity === "error" ? "bad" : "warn"}>{v.severity}</Badge>{" "}
                            <span className="font-medium">{v.policy}</span> <span className="text-slate-500">{v.description}</span>
                            <span className="block font-mono text-xs text-slate-500">{v.errors.map((e) => `${e.path || "/"} ${e.message}`).join("; ")}</span>
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <Card title="Policies" action={admin ? <NewPolicyButton environments={envs} /> : undefined}>
          {rules.length === 0 ? (
            <EmptyState title="No policies yet">{admin ? "Create one with New policy." : "Administrators add policies here or with PUT /api/v1/policies/{name}."}</EmptyState>
          ) : (
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase tracking-wide text-slate-500">
                <tr><th className="py-2 pr-4 font-medium">Name</th><th className="py-2 pr-4 font-medium">Severity</th><th className="py-2 pr-4 font-medium">Applies to</th><th className="py-2 pr-4 font-medium">Rule</th><th className="py-2 pr-4 font-medium">Version</th>{admin ? <th className="py-2 font-medium"><span className="sr-only">Actions</span></th> : null}</tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rules.map((p) => (
                  <tr key={p.name} className="align-top">
                    <td className="py-2 pr-4 font-mono">{p.name}<span className="block font-sans text-xs text-slate-500">{p.description}</span></td>
                    <td className="py-2 pr-4"><Badge tone={p.severity === "error" ? "bad" : "warn"}>{p.severity}</Badge></td>
                    <td className="py-2 pr-4 text-slate-600">{p.environments.join(", ")}{p.services ? ` · ${p.services.join(", ")}` : " · all services"}</td>
                    <td className="py-2 pr-4"><code className="block max-w-md overflow-x-auto whitespace-pre rounded bg-slate-50 p-2 text-xs">{JSON.stringify(p.rule)}</code></td>
                    <td className="py-2 pr-4">v{p.version}</td>
                    {admin ? <td className="py-2"><PolicyActions policy={p} environments={envs} /></td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </>
  );
}
