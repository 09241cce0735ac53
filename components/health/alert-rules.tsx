"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { api, ApiError } from "@/lib/client/fetcher";
import { fetchAlertRules, healthKeys, type AlertRule } from "@/lib/client/health-api";

/** Which health events become alerts (outbox → webhooks), per environment, with flap suppression. */
export function AlertRules({ environments, canManage }: { environments: string[]; canManage: boolean }) {
  const id = useId();
  const qc = useQueryClient();
  const rules = useQuery({ queryKey: healthKeys.alertRules(), queryFn: fetchAlertRules });
  const [env, setEnv] = useState("");
  const [onStatusChange, setOnStatusChange] = useState(true);
  const [onIncident, setOnIncident] = useState(true);
  const [suppress, setSuppress] = useState("10");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [removing, setRemoving] = useState<AlertRule | null>(null);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setPending(true);
    setError(null);
    try {
      await api("/api/v1/health/alert-rules", { method: "POST", json: { env: env || null, onStatusChange, onIncident, suppressMinutes: Number(suppress) } });
      await qc.invalidateQueries({ queryKey: healthKeys.alertRules() });
    } catch (err) {
      setError(err instanceof ApiError ? (err.problem.errors?.[0]?.message ?? err.problem.detail ?? err.message) : "The rule could not be added.");
    } finally {
      setPending(false);
    }
  };
  const remove = async () => {
    if (!removing) return;
    setPending(true);
    try {
      await api(`/api/v1/health/alert-rules/${removing.id}`, { method: "DELETE" });
      await qc.invalidateQueries({ queryKey: healthKeys.alertRules() });
      setRemoving(null);
    } catch (err) {
      setError(err instanceof ApiError ? (err.problem.detail ?? err.message) : "The rule could not be deleted.");
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="space-y-4 text-sm">
      {rules.isError ? <p role="alert" className="text-red-700">Alert rules could not be loaded: {rules.error.message}</p> : null}
      {rules.data && rules.data.length === 0 ? <p className="text-slate-500">No alert rules: health changes are recorded but nobody is alerted.</p> : null}
      {rules.data && rules.data.length > 0 ? (
        <ul className="divide-y divide-slate-100" data-testid="alert-rules">
          {rules.data.map((r) => (
            <li key={r.id} className="flex items-center justify-between gap-3 py-2">
              <span>
                <span className="font-medium">{r.environment ?? "every environment"}</span>:{" "}
                {[r.onStatusChange ? `status changes (at most one per check every ${r.suppressMinutes} min)` : null, r.onIncident ? "incidents opened and closed" : null].filter(Boolean).join(", ")}
              </span>
              {canManage ? <Button variant="ghost" onClick={() => setRemoving(r)} aria-label={`Delete the alert rule of ${r.environment ?? "every environment"}`}>Delete</Button> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {canManage ? (
        <form onSubmit={add} className="flex flex-wrap items-end gap-4 border-t border-slate-100 pt-3" aria-label="Add an alert rule">
          <div>
            <label htmlFor={`${id}-env`} className="block text-xs font-medium text-slate-600">Environment</label>
            <select id={`${id}-env`} value={env} onChange={(e) => setEnv(e.target.value)} className="mt-1 rounded-md border border-slate-300 px-2 py-1.5">
              <option value="">Every environment</option>
              {environments.map((e) => <option key={e}>{e}</option>)}
            </select>
          </div>
          <label className="flex items-center gap-1.5 py-1.5"><input type="checkbox" checked={onStatusChange} onChange={(e) => setOnStatusChange(e.target.checked)} /> Status changes</label>
          <label className="flex items-center gap-1.5 py-1.5"><input type="checkbox" checked={onIncident} onChange={(e) => setOnIncident(e.target.checked)} /> Incidents</label>
          <div>
            <label htmlFor={`${id}-sup`} className="block text-xs font-medium text-slate-600">At most one status alert per check every (min)</label>
            <input id={`${id}-sup`} type="number" min={0} max={1440} value={suppress} onChange={(e) => setSuppress(e.target.value)} className="mt-1 w-24 rounded-md border border-slate-300 px-2 py-1.5" />
          </div>
          <Button type="submit" variant="secondary" disabled={pending}>Add rule</Button>
          {error ? <p role="alert" className="basis-full text-red-700">{error}</p> : null}
        </form>
      ) : null}
      {removing ? (
        <ConfirmDialog title={`Delete the alert rule of ${removing.environment ?? "every environment"}?`} confirmLabel="Delete rule" danger pending={pending} error={error} onConfirm={remove} onCancel={() => setRemoving(null)}>
          Its health events stop being sent as alerts.
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
