import type postgres from "postgres";
import { type Column, FatalSourceError, TransientSourceError } from "./types";
import { isNetworkFailure } from "@/lib/connections/public-error";

/** What the two Postgres sources (keyset and change data capture) share: naming, describing a table, error mapping. */
export const quote = (ident: string) => `"${ident.replaceAll('"', '""')}"`;

export const typeOf = (columns: Column[], name: string) => columns.find((c) => c.name === name)?.type ?? "text";

/** The table's columns as the warehouse should create them, in attribute order. */
export async function describe(sql: postgres.Sql, schema: string, table: string): Promise<Column[]> {
  const rows = await sql<{ name: string; type: string; not_null: boolean }[]>`
    select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null
      from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = ${schema} and c.relname = ${table} and a.attnum > 0 and not a.attisdropped
     order by a.attnum`;
  if (!rows.length) throw new FatalSourceError("TABLE_NOT_FOUND", `Table ${schema}.${table} does not exist in the source`);
  return rows.map((r) => ({ name: r.name, type: r.type, notNull: r.not_null }));
}

/**
 * Connection problems are worth a retry; anything the server refused (missing table, no rights) is not,
 * and keeps the server's code as `PG_<sqlstate>`.
 */
export function toSourceError(e: unknown): Error {
  if (e instanceof FatalSourceError || e instanceof TransientSourceError) return e;
  const err = e as { code?: string; message?: string };
  // Every network failure alike (refused, unknown host, timeout): retried, and recorded in the same words.
  if (!err.code || /^(08|57P|53)/.test(err.code) || isNetworkFailure(e))
    return new TransientSourceError(`source unreachable: ${err.message}`);
  return new FatalSourceError(`PG_${err.code}`, err.message ?? "source query failed");
}
