// Demo only: tiny local HTTP endpoints standing for the demo platform's services, so that the demo's
// health checks (lib/db/demo-health.ts) see real answers, real latencies and a real incident within
// a minute. Started by server.ts in demo mode only; never part of a production deployment.
import { createServer, type Server } from "node:http";
import { demoPorts } from "../lib/db/demo-health";

// What each stand-in answers (lib/db/demo-platform.yaml, `health`): down answers 503, slow takes
// 1.2–1.8 s; postgres and redis are TCP checks against ports where nothing listens.
export type DemoHealth = "up" | "down" | "slow";

export async function startDemoServices(port: number, health: Record<string, DemoHealth>): Promise<{ port: number; close(): Promise<void> }> {
  const { http: httpPort } = demoPorts(port);
  const server: Server = createServer((req, res) => {
    const m = /^\/([a-z0-9-]+)\/([a-z0-9-]+)\/health$/.exec((req.url ?? "").split("?")[0] ?? "");
    const mode = m ? health[m[2]!] : undefined;
    if (!m || !mode) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ status: "unknown service" }));
      return;
    }
    const answer = () => {
      if (mode === "down") {
        res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ status: "unavailable", reason: "dependency not running" }));
      } else {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok", service: m[2], environment: m[1] }));
      }
    };
    // Some jitter so that latency charts show a real spread, and now and then a spike.
    const delay = mode === "slow" ? 1200 + Math.random() * 600 : 3 + Math.random() * 25 + (Math.random() < 0.05 ? 150 : 0);
    setTimeout(answer, delay);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(httpPort, "127.0.0.1", resolve);
  });
  return {
    port: httpPort,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
