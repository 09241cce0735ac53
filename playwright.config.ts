import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

// Browser downloads are not possible on our machines: Playwright drives Debian's Chromium.
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  throw new Error(
    `Chromium not found at ${chromium}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary.`,
  );
}

const PORT = Number(process.env.E2E_PORT ?? 3200);
export const baseURL = `http://localhost:${PORT}`;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: ".reports/playwright.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  webServer: {
    // The production build on a fresh embedded database, with the bundled identity provider.
    // The server's log and every response it sends go to .reports/ for e2e/zz-secrets-leak.spec.ts.
    command: `rm -rf .data-e2e .reports/e2e-server.log .reports/e2e-responses.ndjson && mkdir -p .reports && npm start`,
    url: `${baseURL}/api/readyz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NEXUS_DATA_DIR: ".data-e2e",
      PORT: String(PORT),
      NEXUS_IDP_PORT: String(PORT + 1),
      NEXTAUTH_URL: baseURL,
      LOG_LEVEL: "info",
      NEXUS_LOG_FILE: ".reports/e2e-server.log",
      NEXUS_CAPTURE_RESPONSES: ".reports/e2e-responses.ndjson",
      DATABASE_URL: "",
      OIDC_ISSUER: "",
      NEXUS_BOOTSTRAP_TOKEN: "e2e-bootstrap-admin-token-0123456789",
    },
  },
});
