import Link from "next/link";

export interface AuditFilterValues {
  actor?: string;
  action?: string;
  service?: string;
  env?: string;
  from?: string;
  to?: string;
}

const field = "mt-1 w-full rounded-md border border-slate-300 px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";
const label = "block text-xs font-medium text-slate-600";

/** `2026-01-02T03:04:05.000Z` as a datetime-local value (UTC, minutes). */
export const toLocalInput = (iso: string | undefined) => (iso ? new Date(iso).toISOString().slice(0, 16) : undefined);

/**
 * The audit filters as a plain GET form: works without JavaScript, every filter is in the URL
 * (shareable, and the export links reuse it). Times are UTC.
 */
export function AuditFilterForm({ values, environments, services }: { values: AuditFilterValues; environments: string[]; services: string[] }) {
  return (
    <form className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-7" action="/audit" role="search" aria-label="Filter audit events">
      <div>
        <label htmlFor="f-actor" className={label}>Actor id</label>
        <input id="f-actor" name="actor" defaultValue={values.actor} placeholder="olivia" className={field} />
      </div>
      <div>
        <label htmlFor="f-action" className={label}>Action</label>
        <input id="f-action" name="action" defaultValue={values.action} placeholder="config.saved" className={`${field} font-mono`} />
      </div>
      <div>
        <label htmlFor="f-service" className={label}>Service</label>
        <input id="f-service" name="service" list="audit-services" defaultValue={values.service} className={field} />
        <datalist id="audit-services">
          {services.map((s) => <option key={s} value={s} />)}
        </datalist>
      </div>
      <div>
        <label htmlFor="f-env" className={label}>Environment</label>
        <select id="f-env" name="env" defaultValue={values.env ?? ""} className={field}>
          <option value="">Any</option>
          {environments.map((e) => <option key={e} value={e}>{e}</option>)}
        </select>
      </div>
      <div>
        <label htmlFor="f-from" className={label}>From (UTC)</label>
        <input id="f-from" name="from" type="datetime-local" defaultValue={toLocalInput(values.from)} className={field} />
      </div>
      <div>
        <label htmlFor="f-to" className={label}>To (UTC)</label>
        <input id="f-to" name="to" type="datetime-local" defaultValue={toLocalInput(values.to)} className={field} />
      </div>
      <div className="flex items-end gap-2">
        <button className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2">Filter</button>
        <Link href="/audit" className="px-2 py-1.5 text-sm text-slate-600 hover:underline">Reset</Link>
      </div>
    </form>
  );
}
