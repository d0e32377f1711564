import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";
import type { Column, Row } from "../sources/types";

/**
 * The warehouse side: a Postgres schema with one table per source table. Batches arrive inside the
 * caller's transaction, so rows, counters and checkpoint commit together or not at all.
 */
type Tx = postgres.TransactionSql | postgres.Sql;

export const q = (ident: string) => `"${ident.replaceAll('"', '""')}"`;
export const qualified = (schema: string, table: string) => `${q(schema)}.${q(table)}`;

/** Shadow table a resync fills before swapping it in; named by table job so a resumed attempt finds it. */
export const shadowName = (tableJobId: string) => `_sc_shadow_${tableJobId}`;

function tableDdl(schema: string, table: string, columns: Column[], primaryKey: string): string {
  const cols = columns.map((c) => `${q(c.name)} ${c.type}${c.notNull ? " not null" : ""}`);
  return `create table if not exists ${qualified(schema, table)} (${cols.join(", ")}, primary key (${q(primaryKey)}))`;
}

/** Creates the schema and table when missing. Parallel tables of one sync share the schema: a lock serialises the DDL. */
export async function ensureTable(sql: postgres.Sql, schema: string, table: string, columns: Column[], primaryKey: string) {
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${`sync-console-ddl:${schema}`}))`;
    await tx.unsafe(`create schema if not exists ${q(schema)}`);
    await tx.unsafe(tableDdl(schema, table, columns, primaryKey));
  });
}

export async function dropTable(sql: Tx, schema: string, table: string) {
  await sql.unsafe(`drop table if exists ${qualified(schema, table)}`);
}

/** Records the warehouse will refuse (a null in a not-null column) are split off before COPY, one error each. */
export function splitRejected(rows: Row[], columns: Column[]): { accepted: Row[]; rejected: { row: Row; column: string }[] } {
  const required = columns.flatMap((c, i) => (c.notNull ? [i] : []));
  const accepted: Row[] = [];
  const rejected: { row: Row; column: string }[] = [];
  for (const row of rows) {
    const bad = required.find((i) => row[i] === null || row[i] === undefined);
    if (bad === undefined) accepted.push(row);
    else rejected.push({ row, column: columns[bad].name });
  }
  return { accepted, rejected };
}

const escapeCopy = (value: string) =>
  /[\\\t\n\r]/.test(value) ? value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : value;

export function encodeCopyText(rows: Row[]): string {
  let out = "";
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (i) out += "\t";
      out += v === null || v === undefined ? "\\N" : escapeCopy(v instanceof Date ? v.toISOString() : String(v));
    }
    out += "\n";
  }
  return out;
}

export async function copyInto(tx: Tx, target: string, columns: Column[], rows: Row[]) {
  if (!rows.length) return;
  const writable = await tx.unsafe(`copy ${target} (${columns.map((c) => q(c.name)).join(", ")}) from stdin`).writable();
  await pipeline(Readable.from([encodeCopyText(rows)]), writable);
}

/** COPY into a transaction-scoped staging table, then one upsert on the primary key. */
export async function upsertRows(
  tx: Tx,
  schema: string,
  table: string,
  columns: Column[],
  primaryKey: string,
  rows: Row[],
): Promise<{ inserted: number; updated: number }> {
  if (!rows.length) return { inserted: 0, updated: 0 };
  const stage = q(`_sc_stage_${table}`);
  await tx.unsafe(`create temp table if not exists ${stage} (like ${qualified(schema, table)}) on commit delete rows`);
  await copyInto(tx, stage, columns, rows);
  const names = columns.map((c) => q(c.name));
  const updates = columns.filter((c) => c.name !== primaryKey).map((c) => `${q(c.name)} = excluded.${q(c.name)}`);
  const [r] = await tx.unsafe<{ inserted: number; updated: number }[]>(`
    with up as (
      insert into ${qualified(schema, table)} (${names.join(", ")})
      select ${names.join(", ")} from ${stage}
      on conflict (${q(primaryKey)}) do update set ${updates.join(", ") || `${q(primaryKey)} = excluded.${q(primaryKey)}`}
      returning (xmax = 0) as fresh)
    select count(*) filter (where fresh)::int as inserted, count(*) filter (where not fresh)::int as updated from up`);
  return r;
}

/** Atomically replaces the live table with the finished shadow: readers see the old table or the new one, never half. */
export async function swapInShadow(tx: Tx, schema: string, table: string, shadow: string) {
  await tx.unsafe(`drop table if exists ${qualified(schema, table)}`);
  await tx.unsafe(`alter table ${qualified(schema, shadow)} rename to ${q(table)}`);
}

export async function createShadow(sql: postgres.Sql, schema: string, shadow: string, columns: Column[], primaryKey: string) {
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${`sync-console-ddl:${schema}`}))`;
    await tx.unsafe(`create schema if not exists ${q(schema)}`);
    await tx.unsafe(tableDdl(schema, shadow, columns, primaryKey));
  });
}

export async function countRows(sql: Tx, schema: string, table: string): Promise<number> {
  const [r] = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${qualified(schema, table)}`);
  return r.n;
}
