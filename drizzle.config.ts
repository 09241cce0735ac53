import { defineConfig } from "drizzle-kit";

// Migrations are generated from drizzle/schema.ts and applied by lib/db/migrate.ts at start.
export default defineConfig({
  dialect: "postgresql",
  schema: "./drizzle/schema.ts",
  out: "./drizzle/migrations",
});
