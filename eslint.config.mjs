import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", ".data/**", ".data-*/**", "node_modules/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "drizzle/migrations/**"]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    // Layers: pages, route handlers and components reach the database only through lib/server use cases.
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/lib/db/*", "drizzle-orm", "drizzle-orm/*", "@/drizzle/*", "postgres", "@electric-sql/*"], message: "Go through a use case in lib/server (ARCHITECTURE.md layers)." },
          ],
        },
      ],
    },
  },
  {
    // lib/domain is pure: no database, no Next, no server modules.
    files: ["lib/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/lib/db/*", "@/lib/server/*", "next", "next/*", "drizzle-orm", "drizzle-orm/*", "postgres", "@electric-sql/*"], message: "lib/domain is pure TypeScript (ARCHITECTURE.md)." },
          ],
        },
      ],
    },
  },
]);
