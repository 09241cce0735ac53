import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { openDatabase, rowsOf, type DatabaseHandle, type DbOrTx } from "@/lib/db/client";
import { metrics } from "@/lib/metrics";
import { SYSTEM } from "@/lib/server/context";
import { getLayer } from "@/lib/server/configs/get-layer";
import { saveLayer } from "@/lib/server/configs/save-layer";
import { startDelivery, type DeliveryOptions } from "@/lib/server/delivery/fast-path";
import { testPostgresUrl } from "./db";

export const FELL_THROUGH = 599;

export const configPath = (svc: string, env: string, query = "") =>
  `/api/v1/services/${svc}/environments/${env}/config${query}`;

/**
 * A real node:http server with only the delivery fast path in front of a fallback that answers
 * 599, so a test sees exactly which requests the fast path took and what it answered.
 */
export async function startFastPathServer(handle: DatabaseHandle, opts: DeliveryOptions = {}) {
  const delivery = await startDelivery(handle, opts);
  const server = createServer((req, res) => {
    req.headers["x-request-id"] = "test-request";
    if (delivery.serve(req, res)) return;
    res.writeHead(FELL_THROUGH, { "content-type": "text/plain" });
    res.end("fell through to Next");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function get(path: string, token?: string, headers: Record<string, string> = {}, method = "GET") {
    const res = await fetch(base + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    const text = await res.text();
    const type = res.headers.get("content-type") ?? "";
    return { status: res.status, headers: res.headers, text, json: type.includes("json") && text ? (JSON.parse(text) as Record<string, unknown>) : null };
  }

  return {
    delivery,
    get,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await delivery.close();
    },
  };
}

export async function cacheLookups(result: "hit" | "miss"): Promise<number> {
  const m = await metrics.deliveryCacheLookups.get();
  return m.values.find((v) => v.labels.result === result)?.value ?? 0;
}

/** Saves the overlay of svc in env with one key changed, as SYSTEM, in `tx` when given. */
export async function saveProbe(svc: string, env: string, probe: string, tx?: DbOrTx) {
  const layer = await getLayer({ principal: SYSTEM, input: { layer: "overlay", service: svc, env }, tx });
  return saveLayer({
    principal: SYSTEM,
    input: {
      layer: "overlay",
      service: svc,
      env,
      content: JSON.stringify({ ...(layer.value as object), probe }),
      format: "json",
      message: `probe ${probe}`,
      baseRevision: layer.head?.id ?? null,
    },
    tx,
  });
}

/** A second, independent connection pool to the same PostgreSQL database: another instance. */
export async function openSecondConnection(handle: DatabaseHandle): Promise<DatabaseHandle> {
  const [row] = rowsOf<{ name: string }>(await handle.db.execute(sql`select current_database() as name`));
  const url = new URL(testPostgresUrl()!);
  url.pathname = `/${row!.name}`;
  return openDatabase({ kind: "postgres", url: url.toString() });
}
