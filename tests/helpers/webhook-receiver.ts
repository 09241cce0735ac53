import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A local node:http receiver: records every request and answers with `respond` (default 204).
 * `respond` may return a status and body, e.g. to fail a number of times.
 */
export async function startReceiver(respond: (r: Received, n: number) => { status: number; body?: string } = () => ({ status: 204 })) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      received.push(r);
      const a = respond(r, received.length);
      res.writeHead(a.status, { "content-type": "text/plain" });
      res.end(a.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A clock a test moves by hand. */
export function fakeClock(start = new Date()) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms: number) => void (t += ms),
    set: (d: Date) => void (t = d.getTime()),
  };
}
