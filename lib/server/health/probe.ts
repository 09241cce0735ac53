import "server-only";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { ProbeOutcome } from "@/lib/domain/health";

export interface ProbeSpec {
  kind: "http" | "tcp";
  target: string;
  method: string;
  timeoutMs: number;
  headerName: string | null;
  headerValue: string | null;
  /** Whether the body is needed (a JSON expectation exists). */
  readJson: boolean;
}

const MAX_BODY = 64 * 1024;
// Probes must not pool connections: a kept-alive socket would hide a target that stopped accepting.
const agents = { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) };

/** Runs one probe; never throws, never takes longer than its timeout (plus a timer tick). */
export function probe(spec: ProbeSpec): Promise<ProbeOutcome> {
  return spec.kind === "tcp" ? probeTcp(spec) : probeHttp(spec);
}

function elapsed(start: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - start) / 1e6);
}

function probeTcp(spec: ProbeSpec): Promise<ProbeOutcome> {
  const idx = spec.target.lastIndexOf(":");
  const host = spec.target.slice(0, idx).replace(/^\[|\]$/g, "");
  const port = Number(spec.target.slice(idx + 1));
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (error: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ error, latencyMs: elapsed(start), statusCode: null });
    };
    const timer = setTimeout(() => done(`no TCP connection within ${spec.timeoutMs} ms`), spec.timeoutMs);
    socket.once("connect", () => done(null));
    socket.once("error", (e: NodeJS.ErrnoException) => done(describeError(e, `${host}:${port}`)));
  });
}

function probeHttp(spec: ProbeSpec): Promise<ProbeOutcome> {
  const url = new URL(spec.target);
  const lib = url.protocol === "https:" ? https : http;
  const headers: Record<string, string> = { "user-agent": "nexus-health-checker", accept: "application/json, */*" };
  if (spec.headerName && spec.headerValue != null) headers[spec.headerName] = spec.headerValue;
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (o: Omit<ProbeOutcome, "latencyMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ...o, latencyMs: elapsed(start) });
    };
    const req = lib.request(url, { method: spec.method, headers, agent: url.protocol === "https:" ? agents.https : agents.http }, (res) => {
      const statusCode = res.statusCode ?? 0;
      if (!spec.readJson) {
        // Latency is time to the response head; the body is not needed.
        res.resume();
        return finish({ error: null, statusCode });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY) chunks.push(c);
      });
      res.on("end", () => {
        let json: unknown = undefined;
        try {
          json = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          json = undefined;
        }
        finish({ error: null, statusCode, json });
      });
      res.on("error", (e) => finish({ error: describeError(e, url.host), statusCode }));
    });
    const timer = setTimeout(() => finish({ error: `no answer within ${spec.timeoutMs} ms`, statusCode: null }), spec.timeoutMs);
    req.on("error", (e: NodeJS.ErrnoException) => finish({ error: describeError(e, url.host), statusCode: null }));
    req.end();
  });
}

function describeError(e: NodeJS.ErrnoException, where: string): string {
  switch (e.code) {
    case "ECONNREFUSED":
      return `connection refused by ${where}`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot resolve ${where.split(":")[0]}`;
    case "ECONNRESET":
      return `connection reset by ${where}`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${where} is unreachable`;
    default:
      return (e.message || String(e)).slice(0, 500);
  }
}
