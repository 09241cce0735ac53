import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Outside Next's bundler `server-only` throws on import; tests are server code.
      "server-only": path.resolve(import.meta.dirname, "tests/helpers/empty.ts"),
    },
  },
  test: {
    environment: "node",
    setupFiles: ["tests/helpers/fast-check-seed.ts"],
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "tests/**/*.test.ts", "scripts/**/*.test.ts"],
    // Each worker opens in-memory PGlite instances (~730 MB each): keep the worker count bounded.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Rate limits are off for the suite (it calls handlers thousands of times with one token);
    // tests/integration/rate-limits.test.ts installs its own limits.
    env: { NODE_ENV: "test", NEXUS_MASTER_KEY: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", NEXUS_RATE_LIMITS: "off" },
  },
});
