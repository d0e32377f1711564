import type postgres from "postgres";
import { type Column, FatalSourceError, TransientSourceError } from "./types";
import { isConnectionLoss, isNetworkFailure } from "@/lib/connections/public-error";

/** What the two Postgres sources (keyset and change data capture) share: naming, describing a table, error mapping. */
export const quote = (ident: string) => `"${ident.replaceAll('"', '""')}"`;

/**
 * A query parameter holding a value as the source printed it, cast to the column's type by the server.
 * Typed as text on the wire: given the column's type, postgres.js would convert the value itself, and
 * a timestamp through a JS Date keeps only milliseconds (a cursor at .382854 became .382, before every
 * row of its own instant).
 */
export const param = (n: number, type: string) => `$${n}::text::${type}`;
export const arrayParam = (n: number, type: string) => `$${n}::text[]::${type}[]`;

/**
 * Startup settings of every connection that reads a source's values. Values are read as text and
 * land by COPY, so their printed form must not follow the source's own defaults: a DMY DateStyle
 * printed 4 March as 04/03/2026, which the warehouse read as 3 April (and 31/12 not at all); a low
 * extra_float_digits rounds floats; the escape bytea_output and other interval styles read back
 * differently. Change data capture prints its values in the same session, so it is covered too.
 */
export const READ_SETTINGS = { DateStyle: "ISO, MDY", IntervalStyle: "postgres", extra_float_digits: "3", bytea_output: "hex" };

/** Options for a connection to a source. */
export const sourceConnection = { max: 1, onnotice: () => {}, connect_timeout: 10, connection: READ_SETTINGS } as const;

/** A column's type at the source, to cast the text values of a query's parameters to. */
export const typeOf = (columns: Column[], name: string) => {
  const column = columns.find((c) => c.name === name);
  return column?.sourceType ?? column?.type ?? "text";
};

/**
 * The table's columns as the warehouse should create them, in attribute order. The warehouse has
 * Postgres's built-in types but not the source's own: an enum, a composite or an extension's type
 * (citext, hstore, geometry) becomes `text`, holding the value as the source prints it, and so does
 * a reference into the source's catalog (regclass and the other reg* types, whose names mean
 * nothing in the warehouse's); a domain becomes the type it is based on; an array keeps its
 * dimensions over its element's type.
 */
export async function describe(sql: postgres.Sql, schema: string, table: string): Promise<Column[]> {
  const rows = await sql<{ name: string; type: string; source_type: string; not_null: boolean }[]>`
    with recursive cols as (
      select a.attnum, a.attname, a.attnotnull, a.atttypid, a.atttypmod
        from pg_attribute a
        join pg_class c on c.oid = a.attrelid
        join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = ${schema} and c.relname = ${table} and a.attnum > 0 and not a.attisdropped),
    -- Domains are unwrapped to their base type and arrays to their element, counting the brackets.
    resolved (attnum, typ, mod, dims) as (
      select attnum, atttypid, atttypmod, 0 from cols
      union all
      select r.attnum, case when t.typtype = 'd' then t.typbasetype else t.typelem end,
             case when t.typtype = 'd' then t.typtypmod else r.mod end, r.dims + (t.typtype <> 'd')::int
        from resolved r join pg_type t on t.oid = r.typ
       where t.typtype = 'd' or exists (select 1 from pg_type e where e.oid = t.typelem and e.typarray = t.oid))
    select c.attname as name, c.attnotnull as not_null, format_type(c.atttypid, c.atttypmod) as source_type,
           case when t.typtype in ('b', 'r', 'm') and tn.nspname = 'pg_catalog' and t.typname not like 'reg%'
                then format_type(r.typ, r.mod) else 'text' end
             || repeat('[]', r.dims) as type
      from cols c
      join resolved r on r.attnum = c.attnum
      join pg_type t on t.oid = r.typ
      join pg_namespace tn on tn.oid = t.typnamespace
     where t.typtype <> 'd' and not exists (select 1 from pg_type e where e.oid = t.typelem and e.typarray = t.oid)
     order by c.attnum`;
  if (!rows.length)
    throw new FatalSourceError(
      "TABLE_NOT_FOUND",
      `Table ${schema}.${table} does not exist in the source: it was dropped or renamed, or it lives in another schema. Check the sync's schema, or remove the table from the sync (Edit → Change tables).`,
    );
  return rows.map((r) => ({ name: r.name, type: r.type, notNull: r.not_null, sourceType: r.source_type }));
}

/**
 * Connection problems are worth a retry; anything the server refused (missing table, no rights) is not,
 * and keeps the server's code as `PG_<sqlstate>`.
 */
export function toSourceError(e: unknown): Error {
  if (e instanceof FatalSourceError || e instanceof TransientSourceError) return e;
  const err = e as { code?: string; message?: string };
  // Every network failure alike (refused, unknown host, timeout): retried, and recorded in the same words.
  // 57014: a statement timeout (the source's, or its role's) is a slow moment, worth another attempt.
  if (!err.code || /^(08|57P|57014|53)/.test(err.code) || isNetworkFailure(e))
    return new TransientSourceError(`source unreachable: ${err.message}`, { connectionLost: isConnectionLoss(e) });
  return new FatalSourceError(`PG_${err.code}`, err.message ?? "source query failed");
}

/**
 * A read that failed mid-run. What the server refused for good (no right to a column, a cast that
 * cannot work) fails the table with its code, as at planning; a lost connection, a timeout, a
 * deadlock or a lack of resources is retried.
 */
export function toReadError(e: unknown): Error {
  const err = e as { code?: string; message?: string };
  const sqlState = typeof err.code === "string" && /^[0-9A-Z]{5}$/.test(err.code) ? err.code : null;
  if (sqlState && !/^(08|57|53|40|55P03)/.test(sqlState) && !isNetworkFailure(e))
    return new FatalSourceError(`PG_${sqlState}`, err.message ?? "source query failed");
  return new TransientSourceError(`source read failed: ${err.message}`, { connectionLost: isConnectionLoss(e) });
}
