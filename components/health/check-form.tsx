"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, Dialog } from "@/components/ui/dialog";
import { api, ApiError } from "@/lib/client/fetcher";
import { healthKeys, type CheckView } from "@/lib/client/health-api";

const field = "mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";
const label = "block text-xs font-medium text-slate-600";

interface Props {
  services: string[];
  environments: string[];
  /** Editing this check; creating when absent. */
  check?: CheckView;
  defaultService?: string;
}

/** Add or edit a health check: a keyboard-usable dialog; the server validates and explains. */
export function CheckFormButton(props: Props & { children: ReactNode; variant?: "primary" | "secondary" | "ghost" }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant={props.variant ?? "primary"} onClick={() => setOpen(true)}>{props.children}</Button>
      {open ? <CheckFormDialog {...props} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function CheckFormDialog({ services, environments, check, defaultService, onClose }: Props & { onClose: () => void }) {
  const id = useId();
  const qc = useQueryClient();
  const [f, setF] = useState({
    service: check?.service ?? defaultService ?? services[0] ?? "",
    env: check?.environment ?? environments[0] ?? "",
    name: check?.name ?? "http",
    kind: check?.kind ?? ("http" as "http" | "tcp"),
    target: check?.target ?? "",
    method: check?.method ?? "GET",
    expectedStatusMin: String(check?.expectedStatusMin ?? 200),
    expectedStatusMax: String(check?.expectedStatusMax ?? 299),
    timeoutMs: String(check?.timeoutMs ?? 5000),
    intervalSeconds: String(check?.intervalSeconds ?? 30),
    failureThreshold: String(check?.failureThreshold ?? 3),
    degradedMs: check?.degradedMs != null ? String(check.degradedMs) : "",
    jsonPath: check?.jsonPath ?? "",
    jsonExpected: check?.jsonExpected ?? "",
    headerName: check?.headerName ?? "",
    headerValue: "",
    enabled: check?.enabled ?? true,
  });
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ path: string; message: string }[]>([]);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF((cur) => ({ ...cur, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPending(true);
    setError(null);
    setFieldErrors([]);
    const num = (s: string) => Number(s);
    const http = f.kind === "http";
    const settings = {
      name: f.name,
      kind: f.kind,
      target: f.target,
      method: f.method,
      expectedStatusMin: num(f.expectedStatusMin),
      expectedStatusMax: num(f.expectedStatusMax),
      timeoutMs: num(f.timeoutMs),
      intervalSeconds: num(f.intervalSeconds),
      failureThreshold: num(f.failureThreshold),
      degradedMs: f.degradedMs ? num(f.degradedMs) : null,
      jsonPath: http && f.jsonPath ? f.jsonPath : null,
      jsonExpected: http && f.jsonPath ? f.jsonExpected : null,
      headerName: http && f.headerName ? f.headerName : null,
      // Left empty while editing: the stored value stays (it is never sent back to the browser).
      ...(http && f.headerName && (f.headerValue || !check?.headerValueSet) ? { headerValue: f.headerValue } : {}),
      enabled: f.enabled,
    };
    try {
      if (check) await api(`/api/v1/health/checks/${check.id}`, { method: "PUT", json: settings });
      else await api("/api/v1/health/checks", { method: "POST", json: { service: f.service, env: f.env, check: settings } });
      await qc.invalidateQueries({ queryKey: healthKeys.all() });
      onClose();
    } catch (err) {
      if (err instanceof ApiError) {
        setError(err.problem.detail ?? err.message);
        setFieldErrors(err.problem.errors ?? []);
      } else setError("The check could not be saved.");
    } finally {
      setPending(false);
    }
  };

  const input = (k: keyof typeof f, text: string, extra: Record<string, unknown> = {}) => (
    <div>
      <label htmlFor={`${id}-${k}`} className={label}>{text}</label>
      <input id={`${id}-${k}`} value={String(f[k])} onChange={set(k)} className={field} {...extra} />
    </div>
  );

  return (
    <Dialog title={check ? `Edit check ${check.name} of ${check.service} in ${check.environment}` : "Add a health check"} onClose={onClose}>
      <form onSubmit={submit} className="mt-2 max-h-[70vh] space-y-3 overflow-y-auto pr-1" aria-label="Health check">
        {!check ? (
          <div className="grid grid-cols-2 gap-3">
            <div>
              <label htmlFor={`${id}-svc`} className={label}>Service</label>
              <select id={`${id}-svc`} value={f.service} onChange={set("service")} className={field}>
                {services.map((s) => <option key={s}>{s}</option>)}
              </select>
            </div>
            <div>
              <label htmlFor={`${id}-env`} className={label}>Environment</label>
              <select id={`${id}-env`} value={f.env} onChange={set("env")} className={field}>
                {environments.map((s) => <option key={s}>{s}</option>)}
              </select>
            </div>
          </div>
        ) : null}
        <div className="grid grid-cols-2 gap-3">
          {input("name", "Name", { required: true, maxLength: 63, "data-autofocus": true })}
          <div>
            <label htmlFor={`${id}-kind`} className={label}>Kind</label>
            <select id={`${id}-kind`} value={f.kind} onChange={set("kind")} className={field}>
              <option value="http">HTTP(S)</option>
              <option value="tcp">TCP connect</option>
            </select>
          </div>
        </div>
        {input("target", f.kind === "http" ? "URL" : "Host and port", { required: true, placeholder: f.kind === "http" ? "https://api.internal/health" : "postgres.internal:5432" })}
        {f.kind === "http" ? (
          <div className="grid grid-cols-3 gap-3">
            <div>
              <label htmlFor={`${id}-method`} className={label}>Method</label>
              <select id={`${id}-method`} value={f.method} onChange={set("method")} className={field}>
                {["GET", "HEAD", "POST", "OPTIONS"].map((m) => <option key={m}>{m}</option>)}
              </select>
            </div>
            {input("expectedStatusMin", "Expected status from", { type: "number", min: 100, max: 599 })}
            {input("expectedStatusMax", "to", { type: "number", min: 100, max: 599 })}
          </div>
        ) : null}
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {input("intervalSeconds", "Interval (s)", { type: "number", min: 5, max: 86400, required: true })}
          {input("timeoutMs", "Timeout (ms)", { type: "number", min: 100, max: 60000, required: true })}
          {input("failureThreshold", "Failures to open an incident", { type: "number", min: 1, max: 100, required: true })}
          {input("degradedMs", "Degraded above (ms)", { type: "number", min: 1, max: 60000, placeholder: "off" })}
        </div>
        {f.kind === "http" ? (
          <>
            <div className="grid grid-cols-2 gap-3">
              {input("jsonPath", "JSON field (optional)", { placeholder: "status" })}
              {input("jsonExpected", "must equal", { placeholder: "ok", disabled: !f.jsonPath })}
            </div>
            <div className="grid grid-cols-2 gap-3">
              {input("headerName", "Request header (optional)", { placeholder: "x-api-key" })}
              {input("headerValue", "Header value", { disabled: !f.headerName, type: "password", autoComplete: "off", placeholder: check?.headerValueSet ? "unchanged" : "" })}
            </div>
          </>
        ) : null}
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={f.enabled} onChange={(e) => setF((c) => ({ ...c, enabled: e.target.checked }))} />
          Enabled
        </label>
        {error ? (
          <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
            <p>{error}</p>
            {fieldErrors.length > 0 ? <ul className="mt-1 list-disc pl-5">{fieldErrors.map((e) => <li key={e.path + e.message}>{e.path.replace(/^body\.(check\.)?/, "")}: {e.message}</li>)}</ul> : null}
          </div>
        ) : null}
        <div className="flex justify-end gap-2 pt-1">
          <Button type="button" variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" disabled={pending}>{pending ? "Saving…" : check ? "Save check" : "Add check"}</Button>
        </div>
      </form>
    </Dialog>
  );
}

/** Delete with confirmation: the check's results and incidents go with it. */
export function DeleteCheckButton({ check }: { check: CheckView }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setPending(true);
    setError(null);
    try {
      await api(`/api/v1/health/checks/${check.id}`, { method: "DELETE" });
      await qc.invalidateQueries({ queryKey: healthKeys.all() });
      setOpen(false);
    } catch (err) {
      setError(err instanceof ApiError ? (err.problem.detail ?? err.message) : "The check could not be deleted.");
    } finally {
      setPending(false);
    }
  };
  return (
    <>
      <Button variant="ghost" onClick={() => setOpen(true)} aria-label={`Delete check ${check.name} in ${check.environment}`}>Delete</Button>
      {open ? (
        <ConfirmDialog title={`Delete check ${check.name} of ${check.service} in ${check.environment}?`} confirmLabel="Delete check" pendingLabel="Deleting…" pending={pending} error={error} danger onConfirm={confirm} onCancel={() => setOpen(false)}>
          Its results, uptime history and incidents are deleted with it. This cannot be undone.
        </ConfirmDialog>
      ) : null}
    </>
  );
}
