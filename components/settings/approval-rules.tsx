"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { ROLES, type Role } from "@/lib/auth/permissions";
import { api, ApiError } from "@/lib/client/fetcher";
import type { ApprovalRule } from "./rule-summary";

const input = "mt-1 w-20 rounded-md border border-slate-300 px-2 py-1.5 text-sm";

/** One form per environment: how many approvals, by which roles, bypass, protection. */
export function ApprovalRuleForm({ env }: { env: ApprovalRule }) {
  const id = useId();
  const router = useRouter();
  const [required, setRequired] = useState(String(env.requiredApprovals));
  const [roles, setRoles] = useState<string[]>(env.approverRoles);
  const [allowBypass, setAllowBypass] = useState(env.allowBypass);
  const [prot, setProt] = useState(env.protected);
  const [soak, setSoak] = useState(String(env.soakMinutes ?? 0));
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const toggle = (r: Role, on: boolean) => setRoles((cur) => (on ? ROLES.filter((x) => x === r || cur.includes(x)) : cur.filter((x) => x !== r)));
  const edited = () => {
    setSaved(false);
    setError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(required);
    if (!Number.isInteger(n) || n < 0 || n > 10) return setError("Required approvals must be a whole number from 0 to 10.");
    if (roles.length === 0) return setError("Pick at least one approver role.");
    const soakMinutes = Number(soak);
    if (!Number.isInteger(soakMinutes) || soakMinutes < 0 || soakMinutes > 10_080) return setError("The soak time must be a whole number of minutes from 0 to 10080 (a week).");
    setPending(true);
    setError(null);
    setSaved(false);
    try {
      await api(`/api/v1/environments/${encodeURIComponent(env.name)}/approval-rule`, {
        method: "PUT",
        json: { requiredApprovals: n, approverRoles: roles, allowBypass, protected: prot, soakMinutes },
      });
      setSaved(true);
      router.refresh();
    } catch (err) {
      setError(err instanceof ApiError ? (err.problem.detail ?? err.message) : "The rule could not be saved.");
    } finally {
      setPending(false);
    }
  };

  return (
    <form onSubmit={submit} onChange={edited} aria-label={`Approval rule of ${env.name}`} className="flex flex-wrap items-end gap-x-6 gap-y-3">
      <div>
        <label htmlFor={`${id}-n`} className="block text-xs font-medium text-slate-600">Required approvals</label>
        <input id={`${id}-n`} type="number" min={0} max={10} step={1} required value={required} onChange={(e) => setRequired(e.target.value)} className={input} />
      </div>
      <div>
        <label htmlFor={`${id}-soak`} className="block text-xs font-medium text-slate-600" title="Verified promotion: the source environment must have run the promoted revisions in sync (no drift) and healthy for this long. 0: off.">
          Soak in source (min)
        </label>
        <input id={`${id}-soak`} type="number" min={0} max={10080} step={1} required value={soak} onChange={(e) => setSoak(e.target.value)} className={input} aria-describedby={`${id}-soak-help`} />
        <span id={`${id}-soak-help`} className="sr-only">Verified promotion: minutes the previous environment must have run the promoted revisions in sync and healthy; 0 turns it off.</span>
      </div>
      <fieldset>
        <legend className="text-xs font-medium text-slate-600">Approver roles</legend>
        <div className="mt-1 flex flex-wrap gap-3 py-1.5">
          {ROLES.map((r) => (
            <label key={r} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" checked={roles.includes(r)} onChange={(e) => toggle(r, e.target.checked)} />
              {r}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex flex-col gap-1 py-1 text-sm">
        <label className="flex items-center gap-1.5">
          <input type="checkbox" checked={prot} onChange={(e) => setProt(e.target.checked)} />
          Protected
        </label>
        <label className="flex items-center gap-1.5">
          <input type="checkbox" checked={allowBypass} onChange={(e) => setAllowBypass(e.target.checked)} />
          Allow emergency bypass
        </label>
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" variant="secondary" disabled={pending}>{pending ? "Saving…" : `Save ${env.name}`}</Button>
        <span aria-live="polite" className="text-sm text-emerald-700">{saved ? "Saved." : ""}</span>
      </div>
      {error ? <p role="alert" className="basis-full rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p> : null}
    </form>
  );
}
