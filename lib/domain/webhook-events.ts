/**
 * What a webhook endpoint receives: which outbox events match its subscription, and the body in
 * the endpoint's format (Standard Webhooks JSON, or a Slack-compatible `{"text": …}`).
 */

/** Event types (and families) an endpoint may subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  "config.saved",
  "secret.rotated",
  "change_request.*",
  "drift.*",
  "health.*",
  "*",
] as const;

/** A subscription entry: an exact type (`config.saved`), a family (`drift.*`) or everything (`*`). */
export const EVENT_PATTERN = /^(\*|[a-z_]+\.\*|[a-z_]+\.[a-z_.]+)$/;

export function matchesEventType(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === "*" || p === type || (p.endsWith(".*") && type.startsWith(p.slice(0, -1))));
}

export interface EndpointFilter {
  eventTypes: readonly string[];
  services: readonly string[] | null;
  environments: readonly string[] | null;
}

/**
 * Whether an event goes to an endpoint. An event that names no service (or environment), such as a
 * shared-template save, reaches endpoints limited to some services (environments) too: it concerns them all.
 */
export function endpointWants(endpoint: EndpointFilter, type: string, payload: Record<string, unknown>): boolean {
  if (!matchesEventType(endpoint.eventTypes, type)) return false;
  const svc = typeof payload.service === "string" ? payload.service : null;
  const env = typeof payload.environment === "string" ? payload.environment : null;
  if (endpoint.services && svc && !endpoint.services.includes(svc)) return false;
  // A change request over several services names them all in `services`.
  const many = Array.isArray(payload.services) ? payload.services.filter((s): s is string => typeof s === "string") : null;
  if (endpoint.services && !svc && many && many.length > 0 && !many.some((s) => endpoint.services!.includes(s))) return false;
  if (endpoint.environments && env && !endpoint.environments.includes(env)) return false;
  return true;
}

export type WebhookFormatName = "standard" | "slack";

/** The JSON body: Standard Webhooks' recommended `{type, timestamp, data}` shape, or Slack's `{text}`. */
export function webhookBody(format: WebhookFormatName, type: string, payload: Record<string, unknown>, occurredAt: Date, consoleUrl?: string): string {
  if (format === "slack") return JSON.stringify({ text: slackText(type, payload, consoleUrl) });
  return JSON.stringify({ type, timestamp: occurredAt.toISOString(), data: payload });
}

const str = (v: unknown) => (v === null || v === undefined ? "" : String(v));

/** One readable line per event (Slack mrkdwn), naming what changed and where. */
export function slackText(type: string, p: Record<string, unknown>, consoleUrl?: string): string {
  const where = [p.service && `*${str(p.service)}*`, p.environment && `in *${str(p.environment)}*`].filter(Boolean).join(" ");
  const at = where ? ` ${where}` : "";
  let line: string;
  if (type === "config.saved") {
    const layer = p.layer === "shared" ? "the shared template" : p.layer === "base" ? "the base layer" : "the config";
    line = `:pencil2: ${str(p.author) || "Someone"} saved ${layer}${at} (r${str(p.revision)})`;
  } else if (type === "secret.rotated") {
    line = `:key: Secret \`${str(p.name)}\`${at} rotated to version ${str(p.version)}`;
  } else if (type.startsWith("change_request.")) {
    const verb = type.slice("change_request.".length).replace(/_/g, " ");
    line = `:twisted_rightwards_arrows: Change request #${str(p.number)}${at} ${verb}${p.state ? ` (now ${str(p.state).replace(/_/g, " ")})` : ""}`;
  } else if (type.startsWith("drift.")) {
    line = `:warning: Drift${at}: ${str(p.previous) || "?"} → ${str(p.status) || type.slice(6)}`;
    if (Array.isArray(p.paths) && p.paths.length > 0) line += ` (${p.paths.slice(0, 5).map(String).join(", ")}${p.paths.length > 5 ? ", …" : ""})`;
  } else if (type.startsWith("health.")) {
    const what = p.check ? ` check \`${str(p.check)}\`` : "";
    line = `:heartbeat: Health${what}${at}: ${type === "health.status_changed" ? `${str(p.previous) || "?"} → ${str(p.status)}` : type.slice(7).replace(/_/g, " ")}`;
  } else if (type === "webhook.test") {
    line = `:wave: Test message from Nexus to ${str(p.endpoint) || "this endpoint"}: it arrives, so events will too`;
  } else {
    line = `Nexus event \`${type}\`${at}`;
  }
  return consoleUrl ? `${line} — <${consoleUrl}|open Nexus>` : line;
}

/** http(s) only, no credentials in the URL (they would show in the console and the logs). */
export function checkWebhookUrl(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "not a valid URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `only http and https URLs can receive webhooks, not ${url.protocol.replace(":", "")}`;
  if (url.username || url.password) return "put no user name or password in the URL; receivers verify the signature instead";
  if (!url.hostname) return "the URL has no host";
  return null;
}
