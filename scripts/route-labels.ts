import { readFileSync } from "node:fs";
import path from "node:path";

interface RoutesManifest {
  staticRoutes: { page: string; regex: string }[];
  dynamicRoutes: { page: string; regex: string }[];
}

/** Labels a request path with the route that serves it (`/api/v1/tokens/[id]`), for metrics. */
export function routeLabeller(dir = process.cwd()): (pathname: string) => string {
  let routes: { page: string; re: RegExp }[] = [];
  try {
    const m = JSON.parse(readFileSync(path.join(dir, ".next", "routes-manifest.json"), "utf8")) as RoutesManifest;
    routes = [...m.staticRoutes, ...m.dynamicRoutes].map((r) => ({ page: r.page, re: new RegExp(r.regex) }));
  } catch {
    routes = [];
  }
  const cache = new Map<string, string>();
  return (pathname) => {
    if (pathname.startsWith("/_next/")) return "/_next/*";
    const hit = cache.get(pathname);
    if (hit) return hit;
    const label = routes.find((r) => r.re.test(pathname))?.page ?? "other";
    if (cache.size < 10_000) cache.set(pathname, label);
    return label;
  };
}
