import type { Queryable } from "./rows";
import { query } from "./rows";

// Columns that change on reads, not writes: a token's last use is stamped on every authentication.
const VOLATILE = new Set(["api_tokens.last_used_at"]);
const volatileTables = new Set([...VOLATILE].map((c) => c.split(".")[0]!));

/**
 * Row count and a change marker of every table (migrations bookkeeping aside): two equal snapshots
 * mean no row was inserted, updated or deleted in between, so head revisions, states and audit
 * chains are unchanged too.
 */
export async function databaseSnapshot(handle: Queryable): Promise<Record<string, string>> {
  const cols = await query<{ table_name: string; column_name: string }>(
    handle,
    `select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and table_name not like '%drizzle%'
      order by table_name, ordinal_position`,
  );
  const byTable = new Map<string, string[]>();
  for (const c of cols) {
    if (VOLATILE.has(`${c.table_name}.${c.column_name}`)) continue;
    byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), `"${c.column_name}"`]);
  }
  // Any insert or update gives the row a new xmin and any delete lowers the count, so count and the
  // highest xmin tell whether a table changed; tables with volatile columns are digested instead.
  const parts = [...byTable].map(([t, cs]) =>
    volatileTables.has(t)
      ? `select '${t}' as t, count(*)::int as n, coalesce(md5(string_agg(r, '|' order by r)), '') as h
           from (select (${cs.join(", ")})::text as r from "${t}") s`
      : `select '${t}' as t, count(*)::int as n, coalesce(max(xmin::text::bigint), 0)::text as h from "${t}"`,
  );
  const rows = await query<{ t: string; n: number; h: string }>(handle, parts.join(" union all "));
  return Object.fromEntries(rows.map((r) => [r.t, `${r.n}:${r.h}`]));
}
