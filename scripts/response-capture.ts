// Test support for the secret-leak check (RELIABILITY.md, "Secrets never leak"): when
// NEXUS_CAPTURE_RESPONSES names a file, server.ts appends every response it sends (status, type,
// body up to 4 MiB) as one JSON line, so that e2e/zz-secrets-leak.spec.ts can scan everything the
// end-to-end suite saw. Off unless that variable is set; never set it in production.
import { createWriteStream } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";

const MAX_BODY = 4 * 1024 * 1024;
// The audited reveal endpoint answers a secret's value to a permitted caller by design.
const EXCLUDED = /^\/api\/v1\/services\/[^/]+\/environments\/[^/]+\/secrets\/[^/]+\/reveal$/;

export function responseCapture(file: string | undefined): ((req: IncomingMessage, res: ServerResponse) => void) | null {
  if (!file) return null;
  const out = createWriteStream(file, { flags: "a" });
  return (req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path.startsWith("/_next/static/") || EXCLUDED.test(path)) return;
    // Uncompressed bodies, so the check reads what the browser read.
    delete req.headers["accept-encoding"];
    const chunks: Buffer[] = [];
    let size = 0;
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function" || size > MAX_BODY) return;
      const buf = Buffer.isBuffer(chunk)
        ? chunk
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk)
          : Buffer.from(String(chunk), typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
      chunks.push(buf);
      size += buf.length;
    };
    const write = res.write.bind(res) as (...a: unknown[]) => boolean;
    const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
    res.write = ((...a: unknown[]) => {
      keep(a[0], a[1]);
      return write(...a);
    }) as typeof res.write;
    res.end = ((...a: unknown[]) => {
      keep(a[0], a[1]);
      return end(...a);
    }) as typeof res.end;
    res.on("finish", () => {
      const headers = Object.fromEntries(Object.entries(res.getHeaders()).map(([k, v]) => [k, String(v)]));
      // How the caller authenticated (never the credential), so that a finding names its kind of caller.
      const auth = req.headers.authorization ? "bearer" : /session-token=/.test(req.headers.cookie ?? "") ? "session" : "none";
      out.write(
        JSON.stringify({ method: req.method, url: req.url, auth, status: res.statusCode, headers, body: Buffer.concat(chunks).toString("utf8") }) + "\n",
      );
    });
  };
}
