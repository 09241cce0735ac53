/** @type {import('next').NextConfig} */
const nextConfig = {
  // Loaded from node_modules at run time, never bundled: PGlite's WASM load fails when bundled,
  // and the custom server (server.ts) must share these module instances with the route handlers.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "postgres",
    "drizzle-orm",
    "pino",
    "prom-client",
    "oidc-provider",
  ],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
