import { existsSync, readFileSync } from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";

// The secret-leak check (RELIABILITY.md, "Secrets never leak"). Named zz- so that it runs last
// (one worker, files in order): by then every other spec has produced its pages, API answers, log
// lines and audit rows. The server logs to .reports/e2e-server.log and records every response it
// sent to .reports/e2e-responses.ndjson (playwright.config.ts, webServer env) — except the audited
// reveal endpoint, whose job is to answer a secret's value to a permitted caller.
// The demo seed's secret values are random per installation, so they are read here through that
// same reveal endpoint, with the bootstrap admin token.

const BOOTSTRAP = "e2e-bootstrap-admin-token-0123456789";
const auth = { authorization: `Bearer ${BOOTSTRAP}` };
const LOG_FILE = ".reports/e2e-server.log";
const RESPONSES_FILE = ".reports/e2e-responses.ndjson";

async function json<T>(request: APIRequestContext, path: string, method: "GET" | "POST" = "GET"): Promise<T> {
  const res = method === "GET" ? await request.get(path, { headers: auth }) : await request.post(path, { headers: auth });
  expect(res.status(), `${method} ${path}: ${await res.text()}`).toBe(200);
  return (await res.json()) as T;
}

/** Every current secret value of every service and environment (latest versions). */
async function secretValues(request: APIRequestContext): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  const services: string[] = [];
  for (let cursor: string | null = ""; cursor !== null; ) {
    const page: { items: { name: string }[]; nextCursor: string | null } = await json(request, `/api/v1/services?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    services.push(...page.items.map((s) => s.name));
    cursor = page.nextCursor;
  }
  const envs = (await json<{ name: string }[] | { items: { name: string }[] }>(request, "/api/v1/environments"));
  const envNames = (Array.isArray(envs) ? envs : envs.items).map((e) => e.name);
  for (const svc of services) {
    for (const env of envNames) {
      const listed = await json<{ name: string }[] | { items: { name: string }[] }>(request, `/api/v1/services/${svc}/environments/${env}/secrets`);
      for (const { name } of Array.isArray(listed) ? listed : listed.items) {
        const { value } = await json<{ value: string }>(request, `/api/v1/services/${svc}/environments/${env}/secrets/${name}/reveal`, "POST");
        values.set(`${svc}/${env}/${name}`, value);
      }
    }
  }
  return values;
}

function findings(text: string, needles: Map<string, string>, where: string): string[] {
  const found: string[] = [];
  for (const [what, value] of needles) {
    if (text.includes(value)) found.push(`${what} appears in ${where}`);
  }
  return found;
}

test("no demo secret value appears in any log line, audit row, API answer or rendered page of the e2e run", async ({ request }) => {
  const needles = await secretValues(request);
  // The demo seed stores db-password in every environment; values are long random strings.
  expect([...needles.keys()].filter((k) => k.startsWith("nexus-backend/")).length).toBeGreaterThanOrEqual(3);
  for (const v of needles.values()) expect(v.length).toBeGreaterThanOrEqual(8);
  needles.set("the bootstrap admin token", BOOTSTRAP);

  const problems: string[] = [];

  // Audit rows: the whole trail, as JSON lines.
  const audit = await request.get("/api/v1/audit/export?format=jsonl", { headers: auth });
  expect(audit.status()).toBe(200);
  const auditText = await audit.text();
  expect(auditText.split("\n").filter(Boolean).length, "the audit trail of the run").toBeGreaterThan(20);
  expect(auditText, "reveals are audited").toContain("secret.revealed");
  problems.push(...findings(auditText, needles, "the audit trail"));

  // Every log line the server wrote.
  expect(existsSync(LOG_FILE), `${LOG_FILE} (NEXUS_LOG_FILE of the e2e server)`).toBe(true);
  const log = readFileSync(LOG_FILE, "utf8");
  expect(log.split("\n").filter(Boolean).length, "log lines of the run").toBeGreaterThan(50);
  problems.push(...findings(log, needles, LOG_FILE));

  // Every response the server sent during the run: pages (HTML, RSC payloads) and API answers.
  expect(existsSync(RESPONSES_FILE), `${RESPONSES_FILE} (NEXUS_CAPTURE_RESPONSES of the e2e server)`).toBe(true);
  const lines = readFileSync(RESPONSES_FILE, "utf8").split("\n").filter(Boolean);
  let pages = 0;
  let api = 0;
  for (const line of lines) {
    const r = JSON.parse(line) as { method: string; url: string; auth: string; status: number; headers: Record<string, string>; body: string };
    if ((r.headers["content-type"] ?? "").includes("text/html")) pages++;
    if (r.url.startsWith("/api/v1/")) api++;
    expect(r.url, "the reveal endpoint is left out of the capture").not.toMatch(/\/secrets\/[^/]+\/reveal(\?|$)/);
    for (const f of findings(r.body, needles, `${r.method} ${r.url} (${r.status}, ${r.auth} caller)`)) problems.push(f);
  }
  expect(pages, "rendered pages captured").toBeGreaterThan(10);
  expect(api, "API answers captured").toBeGreaterThan(50);

  console.log(
    `secret-leak check: ${needles.size} values; ${auditText.split("\n").filter(Boolean).length} audit rows, ` +
      `${log.split("\n").filter(Boolean).length} log lines, ${lines.length} responses (${pages} pages, ${api} /api/v1 answers) scanned`,
  );
  expect(problems).toEqual([]);
});
