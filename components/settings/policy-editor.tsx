"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, Dialog } from "@/components/ui/dialog";
import { api, ApiError } from "@/lib/client/fetcher";
import type { PolicyView } from "@/lib/server/policies/policies";

type Problem = { message: string; errors: { path: string; message: string }[] };
const input = "mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm text-slate-900";
const label = "block text-xs font-medium text-slate-600";
const policyPath = (name: string) => `/api/v1/policies/${encodeURIComponent(name)}`;

function toProblem(err: unknown, fallback: string): Problem {
  if (err instanceof ApiError) return { message: err.problem.detail ?? err.message, errors: err.problem.errors ?? [] };
  return { message: fallback, errors: [] };
}

function ProblemBox({ problem }: { problem: Problem | null }) {
  if (!problem) return null;
  return (
    <div role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
      <p>{problem.message}</p>
      {problem.errors.length ? (
        <ul className="mt-1 list-disc pl-5 font-mono text-xs">
          {problem.errors.map((e, i) => <li key={i}>{e.path || "/"}: {e.message}</li>)}
        </ul>
      ) : null}
    </div>
  );
}

/** "New policy", for the header of the Policies card. */
export function NewPolicyButton({ environments }: { environments: string[] }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>New policy</Button>
      {open ? <PolicyDialog environments={environments} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

/** Edit and Delete of one policy row. */
export function PolicyActions({ policy, environments }: { policy: PolicyView; environments: string[] }) {
  const router = useRouter();
  const [open, setOpen] = useState<null | "edit" | "delete">(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setOpen(null);
    setError(null);
  };
  const remove = async () => {
    setPending(true);
    setError(null);
    try {
      await api(policyPath(policy.name), { method: "DELETE" });
      setOpen(null);
      router.refresh();
    } catch (err) {
      setError(toProblem(err, "The policy could not be deleted.").message);
    } finally {
      setPending(false);
    }
  };
  return (
    <div className="flex gap-2 whitespace-nowrap">
      <Button variant="secondary" onClick={() => setOpen("edit")} aria-label={`Edit ${policy.name}`}>Edit</Button>
      <Button variant="ghost" className="text-red-700!" onClick={() => setOpen("delete")} aria-label={`Delete ${policy.name}`}>Delete</Button>
      {open === "edit" ? <PolicyDialog environments={environments} policy={policy} onClose={close} /> : null}
      {open === "delete" ? (
        <ConfirmDialog title={`Delete policy ${policy.name}?`} confirmLabel="Delete policy" pendingLabel="Deleting…" pending={pending} error={error} danger onConfirm={remove} onCancel={close}>
          Configs are no longer checked against it, and promotions it blocked can go ahead.
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

/** Creates a policy (no `policy`) or edits one, sending the version it started from. */
function PolicyDialog({ environments, policy, onClose }: { environments: string[]; policy?: PolicyView; onClose: () => void }) {
  const id = useId();
  const router = useRouter();
  const [name, setName] = useState(policy?.name ?? "");
  const [description, setDescription] = useState(policy?.description ?? "");
  const [envs, setEnvs] = useState<string[]>(policy?.environments ?? []);
  const [services, setServices] = useState(policy?.services?.join(", ") ?? "");
  const [severity, setSeverity] = useState<"error" | "warning">(policy?.severity ?? "error");
  const [rule, setRule] = useState(policy ? JSON.stringify(policy.rule, null, 2) : '{\n  "required": []\n}');
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const toggle = (env: string, on: boolean) => setEnvs((cur) => (on ? environments.filter((e) => e === env || cur.includes(e)) : cur.filter((e) => e !== env)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(rule);
    } catch (err) {
      return setProblem({ message: `The rule is not valid JSON: ${(err as Error).message}`, errors: [] });
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return setProblem({ message: "The rule must be a JSON object (a JSON Schema fragment).", errors: [] });
    if (envs.length === 0) return setProblem({ message: "Pick at least one environment.", errors: [] });
    const list = services.split(",").map((s) => s.trim()).filter(Boolean);
    setPending(true);
    setProblem(null);
    try {
      await api(policyPath(name.trim()), {
        method: "PUT",
        json: { description, environments: envs, services: list.length ? list : null, severity, rule: parsed, ...(policy ? { baseVersion: policy.version } : {}) },
      });
      onClose();
      router.refresh();
    } catch (err) {
      setProblem(toProblem(err, "The policy could not be saved."));
    } finally {
      setPending(false);
    }
  };

  return (
    <Dialog title={policy ? `Edit policy ${policy.name} (v${policy.version})` : "New policy"} onClose={onClose}>
      <form onSubmit={submit} className="max-h-[75vh] space-y-3 overflow-y-auto pr-1" aria-label={policy ? `Edit policy ${policy.name}` : "New policy"}>
        <div>
          <label htmlFor={`${id}-name`} className={label}>Name</label>
          <input id={`${id}-name`} data-autofocus={policy ? undefined : true} required maxLength={100} readOnly={Boolean(policy)} value={name} onChange={(e) => setName(e.target.value)} placeholder="require-timeouts" className={`${input} font-mono ${policy ? "bg-slate-50" : ""}`} />
        </div>
        <div>
          <label htmlFor={`${id}-desc`} className={label}>Description</label>
          <input id={`${id}-desc`} data-autofocus={policy ? true : undefined} maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} className={input} />
        </div>
        <fieldset>
          <legend className={label}>Environments</legend>
          <div className="mt-1 flex flex-wrap gap-3">
            {environments.map((env) => (
              <label key={env} className="flex items-center gap-1.5 text-sm text-slate-800">
                <input type="checkbox" checked={envs.includes(env)} onChange={(e) => toggle(env, e.target.checked)} />
                {env}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="grid gap-3 sm:grid-cols-3">
          <div className="sm:col-span-2">
            <label htmlFor={`${id}-svc`} className={label}>Services (comma-separated, empty: all)</label>
            <input id={`${id}-svc`} value={services} onChange={(e) => setServices(e.target.value)} placeholder="api-gateway, billing" className={input} />
          </div>
          <div>
            <label htmlFor={`${id}-sev`} className={label}>Severity</label>
            <select id={`${id}-sev`} value={severity} onChange={(e) => setSeverity(e.target.value as "error" | "warning")} className={input}>
              <option value="error">error (blocks)</option>
              <option value="warning">warning</option>
            </select>
          </div>
        </div>
        <div>
          <label htmlFor={`${id}-rule`} className={label}>Rule (JSON Schema fragment)</label>
          <textarea id={`${id}-rule`} required rows={8} spellCheck={false} value={rule} onChange={(e) => setRule(e.target.value)} className={`${input} font-mono text-xs`} />
        </div>
        <ProblemBox problem={problem} />
        <div className="flex justify-end gap-2 pt-1">
          <Button type="button" variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" disabled={pending}>{pending ? "Saving…" : policy ? "Save policy" : "Create policy"}</Button>
        </div>
      </form>
    </Dialog>
  );
}
