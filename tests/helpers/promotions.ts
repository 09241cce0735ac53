import { expect } from "vitest";
import type { Principal } from "@/lib/auth/permissions";
import { getLayer } from "@/lib/server/configs/get-layer";
import { getResolvedConfig } from "@/lib/server/configs/get-resolved-config";
import { saveLayer } from "@/lib/server/configs/save-layer";
import { applyChangeRequest } from "@/lib/server/promotions/apply-change-request";
import { decideChangeRequest } from "@/lib/server/promotions/decide-change-request";
import { openChangeRequest } from "@/lib/server/promotions/open-change-request";
import { countRows, query, type Queryable } from "./rows";

const person = (id: string, name: string, role: Principal["roles"][number]["role"]): Principal => ({ id, kind: "user", name, roles: [{ role, environments: null }] });

/** The demo's people (PRODUCT.md): an operator, two approvers, a viewer, an administrator. */
export const olivia = person("olivia", "Olivia", "operator");
export const alice = person("alice", "Alice", "approver");
export const bob = person("bob", "Bob", "approver");
export const morgan = person("morgan", "Morgan", "viewer");
export const admin = person("admin", "Admin", "admin");

/** Edits one environment's overlay of a service as an operator would, through the save use case. */
export async function editOverlay(service: string, env: string, edit: (source: string) => string, who: Principal = olivia) {
  const ref = { layer: "overlay" as const, service, env };
  const layer = await getLayer({ principal: who, input: ref });
  const content = edit(layer.source);
  expect(content, "the edit must change the source").not.toBe(layer.source);
  return saveLayer({ principal: who, input: { ...ref, content, format: "yaml", message: `edit ${service} in ${env}`, baseRevision: layer.head?.id ?? null } });
}

export const promote = (services: string[], from: string, to: string, who: Principal = olivia) =>
  openChangeRequest({ principal: who, input: { kind: "promotion", services, from, to } });

/** Gives a request the approvals of the given people, then applies it as the last of them. */
export async function approveAndApply(id: string, approvers: Principal[]) {
  for (const p of approvers) await decideChangeRequest({ principal: p, input: { id, decision: "approve" } });
  return applyChangeRequest({ principal: approvers.at(-1)!, input: { id } });
}

export const resolved = async (service: string, env: string) =>
  (await getResolvedConfig({ principal: morgan, input: { service, env } })).value as Record<string, Record<string, unknown>>;

export const overlayRevisions = (db: Queryable, service: string, env: string) =>
  countRows(
    db,
    `config_revisions r join config_layers l on l.id = r.layer_id join services s on s.id = l.service_id join environments e on e.id = l.environment_id`,
    `l.kind = 'overlay' and s.name = '${service}' and e.name = '${env}'`,
  );

/** Audit actions written about one change request, oldest first. */
export const auditActions = async (db: Queryable, crId: string) =>
  (await query<{ action: string }>(db, `select action from audit_events where target_id = '${crId}' order by seq`)).map((r) => r.action);

/** Outbox event types about one change request, oldest first. */
export const outboxTypes = async (db: Queryable, crId: string) =>
  (await query<{ type: string }>(db, `select type from outbox_events where payload->>'id' = '${crId}' order by id`)).map((r) => r.type);
