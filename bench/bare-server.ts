// The yardstick: a bare node:http server answering the same requests with the same bytes and
// headers from a Map, with no authentication, cache bookkeeping or logging. Prints its port.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

interface Fixture {
  path: string;
  etag: string;
  contentType: string;
  body: string;
}

const fixtures = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Fixture[];
const byPath = new Map(
  fixtures.map((f) => {
    const body = Buffer.from(f.body);
    const common = ["etag", f.etag, "cache-control", "private, no-cache", "vary", "authorization, cookie"];
    return [f.path, { etag: f.etag, body, ok: [...common, "content-type", f.contentType, "content-length", String(body.length)], notModified: common }];
  }),
);

const server = createServer((req, res) => {
  const f = byPath.get(req.url ?? "");
  if (!f) {
    res.writeHead(404);
    res.end();
  } else if (req.headers["if-none-match"] === f.etag) {
    res.writeHead(304, f.notModified);
    res.end();
  } else {
    res.writeHead(200, f.ok);
    res.end(f.body);
  }
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
