import "server-only";
import { z } from "zod";
import { authorize, reader, type UseCaseArgs } from "../context";
import { resourceName } from "../tokens/token-schemas";
import { loadCheck } from "./load-check";
import { checkView } from "./view";
import { checksWithNames, readableEnvironments } from "./visible";

export const listChecksInput = z.object({ service: resourceName.optional(), env: resourceName.optional() });

/** Checks the caller may read, optionally of one service or environment. */
export async function listChecks({ principal, input, tx }: UseCaseArgs<z.input<typeof listChecksInput>>) {
  const q = listChecksInput.parse(input);
  authorize(principal, "health:read", { service: q.service, environment: q.env });
  const db = await reader(tx);
  const envs = (await readableEnvironments(db, principal)).filter((e) => !q.env || e.name === q.env);
  const rows = await checksWithNames(db, new Set(envs.map((e) => e.id)));
  return { items: rows.filter((r) => !q.service || r.service === q.service).map((r) => checkView(r.check, r.service, r.environment)) };
}

export async function getCheck({ principal, input, tx }: UseCaseArgs<{ id: string }>) {
  const id = z.uuid().parse(input.id);
  const db = await reader(tx);
  const { check, service, environment } = await loadCheck(db, id);
  authorize(principal, "health:read", { service, environment });
  return checkView(check, service, environment);
}
