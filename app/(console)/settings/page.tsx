import Link from "next/link";
import { ApprovalRuleForm } from "@/components/settings/approval-rules";
import { BackupsCard } from "@/components/settings/backups-card";
import { ruleSummary } from "@/components/settings/rule-summary";
import { TokensPanel } from "@/components/tokens/tokens-panel";
import { Card, PageHeader } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { currentRoleMapping } from "@/lib/auth/role-mapping";
import { requireUser } from "@/lib/auth/session";
import { listBackupRuns } from "@/lib/server/backup/list-backup-runs";
import { listEnvironments } from "@/lib/server/catalog/list-environments";
import { listTokens } from "@/lib/server/tokens/list-tokens";

export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const { principal } = await requireUser();
  const mayManageTokens = can(principal, "tokens:manage");
  const mayManageSettings = can(principal, "settings:manage");
  const [tokens, envs, backups] = await Promise.all([
    mayManageTokens ? listTokens({ principal, input: undefined }) : Promise.resolve([]),
    listEnvironments({ principal, input: undefined }),
    mayManageSettings ? listBackupRuns({ principal, input: {} }) : Promise.resolve(null),
  ]);
  return (
    <>
      <PageHeader title="Settings" description="API tokens, approval rules, webhooks, backups and how sign-in groups map to roles." />
      <div className="space-y-6">
        <Card title="API tokens">
          {mayManageTokens ? (
            <TokensPanel initial={tokens} />
          ) : (
            <p className="text-sm text-slate-500">Only administrators manage API tokens (permission tokens:manage).</p>
          )}
        </Card>
        <Card title="Approval rules">
          <p className="mb-3 text-sm text-slate-500">
            How many approvals a change request into each environment needs, from which roles, and whether an emergency bypass exists.
            {mayManageSettings ? null : " Only administrators change them (permission settings:manage)."}
          </p>
          <ul className="divide-y divide-slate-100">
            {envs.map((e) => (
              <li key={e.name} className="py-3 first:pt-0 last:pb-0">
                <h3 className="mb-1 font-mono text-sm font-semibold text-slate-800">{e.name}</h3>
                {mayManageSettings ? <ApprovalRuleForm env={e} /> : <p className="text-sm text-slate-600">{ruleSummary(e)}</p>}
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Webhooks" action={mayManageSettings ? <Link className="text-sm text-indigo-700 hover:underline" href="/settings/webhooks">Manage webhooks</Link> : null}>
          <p className="text-sm text-slate-500">
            Signed HTTP notifications of config saves, secret rotations, promotions, drift and health changes to your endpoints (Standard Webhooks, or Slack-compatible), with retries and a delivery log.
            {mayManageSettings ? null : " Only administrators manage them (permission settings:manage)."}
          </p>
        </Card>
        <Card title="Policies" action={<Link className="text-sm text-indigo-700 hover:underline" href="/compliance">Compliance board</Link>}>
          <p className="text-sm text-slate-500">
            Compliance rules are JSON Schema fragments scoped to environments and services; errors block promotions. The compliance board lists every config that fails one now.
          </p>
        </Card>
        {backups ? <BackupsCard status={backups} /> : null}
        <Card title="Role mapping">
          <p className="mb-3 text-sm text-slate-500">
            Groups from the identity provider&apos;s groups claim map to roles (NEXUS_ROLE_MAPPING). Anyone in no mapped group is a viewer.
          </p>
          <table className="text-sm">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr><th className="py-1 pr-6 text-left font-medium">Group</th><th className="py-1 pr-6 text-left font-medium">Role</th><th className="py-1 text-left font-medium">Environments</th></tr>
            </thead>
            <tbody>
              {currentRoleMapping().map((r) => (
                <tr key={`${r.group}-${r.binding.role}`}>
                  <td className="py-1 pr-6 font-mono">{r.group}</td>
                  <td className="py-1 pr-6">{r.binding.role}</td>
                  <td className="py-1">{r.binding.environments?.join(", ") ?? "all"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      </div>
    </>
  );
}
