/**
 * Health rules (issue 6), pure: how a probe's outcome becomes a status, how consecutive failures
 * open and the first success closes an incident, flap suppression of alerts, percentiles, uptime
 * and the soak of a verified promotion. The clock is always passed in.
 */

export type ProbeStatus = "up" | "degraded" | "down";
export type CheckStatus = ProbeStatus | "unknown";

export interface ProbeOutcome {
  /** The connection or request failed or timed out (error text), or null when an answer came. */
  error: string | null;
  latencyMs: number;
  statusCode?: number | null;
  /** The body parsed as JSON, when a JSON expectation exists and the body was JSON. */
  json?: unknown;
}

export interface Expectation {
  statusMin: number;
  statusMax: number;
  jsonPath?: string | null;
  jsonExpected?: string | null;
  degradedMs?: number | null;
}

export interface Verdict {
  status: ProbeStatus;
  error: string | null;
}

/** Whether a probe's outcome is up, degraded (slow but right) or down, with why. */
export function judgeProbe(o: ProbeOutcome, e: Expectation): Verdict {
  if (o.error) return { status: "down", error: o.error };
  if (o.statusCode != null && (o.statusCode < e.statusMin || o.statusCode > e.statusMax)) {
    return { status: "down", error: `HTTP ${o.statusCode}, expected ${e.statusMin}–${e.statusMax}` };
  }
  if (e.jsonPath) {
    const actual = fieldAt(o.json, e.jsonPath);
    if (actual === undefined) return { status: "down", error: `the body has no JSON field ${e.jsonPath}` };
    const shown = typeof actual === "string" ? actual : JSON.stringify(actual);
    if (e.jsonExpected != null && shown !== e.jsonExpected) {
      return { status: "down", error: `${e.jsonPath} is ${JSON.stringify(actual)}, expected ${JSON.stringify(e.jsonExpected)}` };
    }
  }
  if (e.degradedMs != null && o.latencyMs > e.degradedMs) {
    return { status: "degraded", error: `slow: ${o.latencyMs} ms, over ${e.degradedMs} ms` };
  }
  return { status: "up", error: null };
}

/** A dotted path into a JSON value (`status`, `checks.db.status`, `items.0.ok`). */
export function fieldAt(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export interface CheckState {
  status: CheckStatus;
  statusSince: Date;
  consecutiveFailures: number;
  /** Whether an incident of this check is open now. */
  incidentOpen: boolean;
  lastAlertAt: Date | null;
}

export type HealthEvent =
  | { type: "status_changed"; status: ProbeStatus; previous: CheckStatus }
  | { type: "incident_opened"; failures: number }
  | { type: "incident_closed" };

export interface Transition {
  state: CheckState;
  events: HealthEvent[];
}

/**
 * Applies one verdict: the status follows every result; `threshold` consecutive "down" results
 * open an incident; the first result that is not down (up or degraded) closes it.
 */
export function applyVerdict(prev: CheckState, verdict: ProbeStatus, threshold: number, now: Date): Transition {
  const events: HealthEvent[] = [];
  const failures = verdict === "down" ? prev.consecutiveFailures + 1 : 0;
  let incidentOpen = prev.incidentOpen;
  if (verdict !== prev.status) events.push({ type: "status_changed", status: verdict, previous: prev.status });
  if (verdict === "down" && !incidentOpen && failures >= Math.max(1, threshold)) {
    incidentOpen = true;
    events.push({ type: "incident_opened", failures });
  } else if (verdict !== "down" && incidentOpen) {
    incidentOpen = false;
    events.push({ type: "incident_closed" });
  }
  return {
    state: {
      status: verdict,
      statusSince: verdict === prev.status ? prev.statusSince : now,
      consecutiveFailures: failures,
      incidentOpen,
      lastAlertAt: prev.lastAlertAt,
    },
    events,
  };
}

export interface AlertRule {
  onStatusChange: boolean;
  onIncident: boolean;
  suppressMinutes: number;
}

/**
 * Which events become alerts under the environment's rules. Status alerts are flap-suppressed: at
 * most one per check per window (the strictest window of the matching rules). Incident alerts are
 * already debounced by the failure threshold, and a closed alert must follow every opened one, so
 * they are never suppressed.
 */
export function alertsFor(events: HealthEvent[], rules: AlertRule[], lastAlertAt: Date | null, now: Date): { alerts: HealthEvent[]; lastAlertAt: Date | null } {
  const alerts: HealthEvent[] = [];
  let last = lastAlertAt;
  for (const ev of events) {
    if (ev.type === "status_changed") {
      const matching = rules.filter((r) => r.onStatusChange);
      if (matching.length === 0) continue;
      const windowMs = Math.max(...matching.map((r) => r.suppressMinutes)) * 60_000;
      if (last && now.getTime() - last.getTime() < windowMs) continue;
      alerts.push(ev);
      last = now;
    } else if (rules.some((r) => r.onIncident)) {
      alerts.push(ev);
    }
  }
  return { alerts, lastAlertAt: last };
}

/** The next time a check is due: on its cadence, but never in the past (missed runs are skipped). */
export function nextRunAfter(scheduled: Date, intervalSeconds: number, now: Date): Date {
  const next = scheduled.getTime() + intervalSeconds * 1000;
  return new Date(next > now.getTime() ? next : now.getTime() + intervalSeconds * 1000);
}

/** Linear-interpolated percentile (PostgreSQL's percentile_cont), `p` in [0, 1]; null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/** Share of results that were not down, in percent; degraded counts as available. Null: no data. */
export function uptimePercent(counts: { total: number; down: number }): number | null {
  if (counts.total <= 0) return null;
  return ((counts.total - counts.down) / counts.total) * 100;
}

/** Mean time to recovery of closed incidents, in ms; null when none closed. */
export function mttrMs(incidents: readonly { openedAt: Date; closedAt: Date | null }[]): number | null {
  const closed = incidents.filter((i) => i.closedAt);
  if (closed.length === 0) return null;
  return closed.reduce((s, i) => s + (i.closedAt!.getTime() - i.openedAt.getTime()), 0) / closed.length;
}

export interface SoakInput {
  soakMinutes: number;
  /** When the newest revision of the promoted layers was made in the source (null: none). */
  revisionsSince: Date | null;
  /** The source's drift status and since when (null: never reported). */
  drift: { status: string; since: Date } | null;
  /** The source's checks for the service: their status and since when. */
  checks: { name: string; status: CheckStatus; since: Date }[];
}

export type SoakVerdict = { ok: true } | { ok: false; reason: string; remainingMs: number | null };

/**
 * Verified promotion: the source must have run the promoted revisions in sync and healthy for
 * the soak time. `remainingMs` says how long is left if nothing changes (null: it cannot pass
 * by waiting, e.g. drifted or down now).
 */
export function judgeSoak(s: SoakInput, now: Date): SoakVerdict {
  const soakMs = s.soakMinutes * 60_000;
  if (soakMs <= 0) return { ok: true };
  if (!s.drift) return { ok: false, reason: "has sent no drift report yet, so nothing proves it runs these revisions", remainingMs: null };
  if (s.drift.status !== "in_sync") return { ok: false, reason: `is ${s.drift.status.replace("_", " ")}, not in sync`, remainingMs: null };
  if (s.checks.length === 0) return { ok: false, reason: "has no health checks, so nothing proves it healthy", remainingMs: null };
  const unhealthy = s.checks.filter((c) => c.status !== "up");
  if (unhealthy.length > 0) {
    return { ok: false, reason: `is not healthy: check ${unhealthy.map((c) => `${c.name} is ${c.status}`).join(", check ")}`, remainingMs: null };
  }
  const since = Math.max(s.drift.since.getTime(), s.revisionsSince?.getTime() ?? 0, ...s.checks.map((c) => c.since.getTime()));
  const remainingMs = since + soakMs - now.getTime();
  if (remainingMs > 0) {
    return { ok: false, reason: `has been in sync and healthy for ${formatDuration(now.getTime() - since)} of ${formatDuration(soakMs)}`, remainingMs };
  }
  return { ok: true };
}

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** Validates a check's target: an http(s) URL without credentials, or host:port for TCP. */
export function validateTarget(kind: "http" | "tcp", target: string): string | null {
  if (kind === "http") {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return "is not a valid URL";
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http:// or https:// URL";
    if (!url.hostname) return "has no host";
    if (url.username || url.password) return "must not carry credentials; send them in a header instead";
    return null;
  }
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(target);
  if (!m) return "must be host:port (e.g. postgres.internal:5432)";
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return "has a port outside 1–65535";
  return null;
}
