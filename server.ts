// Nexus's entry point (`npm start`): checks settings, builds the console if needed, migrates and
// seeds the database, starts the demo identity provider in demo mode, then serves every request
// through Next.js's custom-server API.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import next from "next";
import { ensureBuild } from "./scripts/ensure-build";
import { DEMO_PASSWORD, DEMO_USERS, startDemoIdp } from "./scripts/demo-idp";
import { startDemoServices, type DemoHealth } from "./scripts/demo-services";
import { loadDemoPlatform } from "./lib/db/seed";
import { prepareSettings, SettingsError } from "./lib/config/settings";
import { getDatabaseHandle } from "./lib/db/client";
import { log } from "./lib/log";
import { metrics } from "./lib/metrics";
import { bootDatabase } from "./lib/server/system/boot";
import { startDelivery } from "./lib/server/delivery/fast-path";
import { startJobs } from "./lib/jobs/runner";
import { routeLabeller } from "./scripts/route-labels";
import { responseCapture } from "./scripts/response-capture";
import { httpsByConfig, securityHeaders } from "./lib/api/security-headers";
import { problemBody } from "./lib/api/problem";
import { rateLimiter } from "./lib/server/rate-limit";

async function main() {
  const settings = prepareSettings();
  const port = Number(process.env.PORT ?? 3000);
  process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
  const consoleUrl = process.env.NEXTAUTH_URL.replace(/\/$/, "");

  ensureBuild();
  const { seeded } = await bootDatabase({ seed: settings.demo || process.env.NEXUS_SEED_DEMO === "true" });

  let idp: Awaited<ReturnType<typeof startDemoIdp>> | null = null;
  if (settings.demoSecrets) {
    idp = await startDemoIdp({
      port: Number(process.env.NEXUS_IDP_PORT ?? port + 1),
      consoleUrl,
      clientSecret: settings.demoSecrets.idpClientSecret,
      cookieKey: settings.demoSecrets.idpCookieKey,
      jwk: settings.demoSecrets.idpJwk,
    });
    process.env.NEXUS_DEMO_IDP_ISSUER = idp.issuer;
    process.env.NEXUS_DEMO_IDP_CLIENT_SECRET = settings.demoSecrets.idpClientSecret;
  }
  // Demo only: stand-in endpoints for the demo platform's services, which the seeded health checks probe.
  let demoServices: Awaited<ReturnType<typeof startDemoServices>> | null = null;
  if (settings.demo && process.env.NEXUS_DEMO_SERVICES !== "false") {
    const health = Object.fromEntries(loadDemoPlatform().services.map((s) => [s.name, (s.health ?? "up") as DemoHealth]));
    demoServices = await startDemoServices(port, health).catch((err: unknown) => {
      log.warn({ err }, "the demo's stand-in service endpoints could not start; the demo health checks will show them down");
      return null;
    });
  }

  const app = next({ dev: false, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();
  const labelOf = routeLabeller();
  const trustProxy = process.env.NEXUS_TRUST_PROXY === "true";
  // Bearer-token reads of resolved configs are answered here, from memory (ARCHITECTURE.md,
  // "The delivery fast path"); everything else goes to Next.
  const delivery = await startDelivery(await getDatabaseHandle());

  const capture = responseCapture(process.env.NEXUS_CAPTURE_RESPONSES);
  const limiter = rateLimiter();
  const httpsConsole = httpsByConfig();

  const server = createServer((req, res) => {
    capture?.(req, res);
    // Delivery reads first, before any per-request work here: they carry their own request id,
    // metrics, security headers and refusal logging (lib/server/delivery/respond.ts).
    if (delivery.serve(req, res)) return;
    const started = process.hrtime.bigint();
    const requestId = ownRequestId(req);
    req.headers["x-request-id"] = requestId;
    if (!trustProxy) {
      // Only a trusted proxy may say who the client is.
      req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
      delete req.headers["x-forwarded-host"];
      delete req.headers["x-forwarded-proto"];
    }
    res.setHeader("x-request-id", requestId);
    // Every response (pages get their nonce CSP from proxy.ts on top); HSTS only over https.
    for (const [k, v] of securityHeaders(httpsConsole || req.headers["x-forwarded-proto"] === "https")) res.setHeader(k, v);
    res.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      const route = labelOf(path);
      metrics.httpRequests.inc({ method: req.method ?? "GET", route, status: String(res.statusCode) });
      metrics.httpDuration.observe({ method: req.method ?? "GET", route }, seconds);
      if (!path.startsWith("/_next/")) {
        log.info({ requestId, method: req.method, route, path, status: res.statusCode, ms: Math.round(seconds * 1000) }, "request");
      }
    });
    if (isSignInStep(req.method, req.url)) {
      // Per client IP: each step costs a round trip to the identity provider (RELIABILITY.md).
      const wait = limiter.take("sign_in", String(req.headers["x-forwarded-for"] ?? "").split(",")[0]!.trim() || "unknown");
      if (wait !== null) {
        res.writeHead(429, { "content-type": "application/problem+json", "cache-control": "no-store", "retry-after": String(wait) });
        res.end(JSON.stringify(problemBody(429, `Too many sign-in attempts; retry in ${wait} s.`, { requestId })));
        return;
      }
    }
    handle(req, res).catch((err: unknown) => {
      log.error({ err, requestId }, "request failed");
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/problem+json" });
        res.end(JSON.stringify({ type: "about:blank", title: "Internal error", status: 500, detail: "Something went wrong on our side.", requestId }));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, process.env.HOST, resolve);
  });

  // Background jobs (scheduled applies); each claims its work in PostgreSQL, so several instances may run them.
  const stopJobs = process.env.NEXUS_JOBS === "false" ? () => {} : startJobs();
  printBanner(consoleUrl, settings.demo, seeded);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    server.close();
    server.closeAllConnections();
    stopJobs();
    await idp?.close();
    await demoServices?.close();
    await delivery.close();
    await (await getDatabaseHandle()).close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

/** Starting a sign-in and coming back from the identity provider (next-auth's routes). */
function isSignInStep(method: string | undefined, url: string | undefined): boolean {
  return (
    (method === "POST" && url?.startsWith("/api/auth/signin") === true) ||
    (method === "GET" && url?.startsWith("/api/auth/callback/") === true)
  );
}

function ownRequestId(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

function printBanner(url: string, demo: boolean, seeded: boolean) {
  const lines = [``, `  Nexus is running at ${url}`];
  if (demo) {
    lines.push(
      ``,
      `  Demo mode: embedded identity provider, sign in as (password "${DEMO_PASSWORD}"):`,
      ...DEMO_USERS.map((u) => `    ${u.login.padEnd(8)} ${u.role}`),
      seeded ? `  The demo platform was seeded into the new database.` : ``,
    );
  }
  console.log(lines.join("\n"));
}

main().catch((err: unknown) => {
  if (err instanceof SettingsError) {
    console.error(`\nNexus cannot start: ${err.message}\n`);
  } else {
    console.error("\nNexus could not start:", err);
  }
  process.exit(1);
});
