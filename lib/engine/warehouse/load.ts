import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";
import type { RejectedRecord } from "@/lib/jobs/state";
import type { Column, Row } from "../sources/types";
import { q, qualified } from "./ident";

/** How batches land in a warehouse table: COPY, an upsert through a private staging table, deletes by key. */
type Tx = postgres.TransactionSql | postgres.Sql;

/** Records the warehouse will refuse (a null in a not-null column) are split off before COPY, one error each. */
export function splitRejected(rows: Row[], columns: Column[], primaryKey: string): { accepted: Row[]; rejected: RejectedRecord[] } {
  const required = columns.flatMap((c, i) => (c.notNull ? [i] : []));
  const pk = columns.findIndex((c) => c.name === primaryKey);
  const accepted: Row[] = [];
  const rejected: RejectedRecord[] = [];
  for (const row of rows) {
    const bad = required.find((i) => row[i] === null || row[i] === undefined);
    if (bad === undefined) accepted.push(row);
    else rejected.push({ key: String(row[pk]), column: columns[bad].name });
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

/**
 * COPY into a staging table private to this table job and this transaction (dropped at commit, so
 * nothing lingers on a pooled connection and two syncs' same-named tables never meet), then one
 * upsert on the primary key. Columns the source dropped are set to NULL on the rows it sends.
 */
export async function upsertRows(
  tx: Tx,
  target: { schema: string; table: string; tableJobId: string },
  columns: Column[],
  primaryKey: string,
  dropped: string[],
  rows: Row[],
): Promise<{ inserted: number; updated: number }> {
  if (!rows.length) return { inserted: 0, updated: 0 };
  const live = qualified(target.schema, target.table);
  const stage = q(`_sc_stage_${target.tableJobId}`);
  await tx.unsafe(`create temp table ${stage} (like ${live}) on commit drop`);
  await copyInto(tx, stage, columns, rows);
  const names = columns.map((c) => q(c.name));
  const updates = [
    ...columns.filter((c) => c.name !== primaryKey).map((c) => `${q(c.name)} = excluded.${q(c.name)}`),
    ...dropped.map((c) => `${q(c)} = null`),
  ];
  const [r] = await tx.unsafe<{ inserted: number; updated: number }[]>(`
    with up as (
      insert into ${live} (${names.join(", ")})
      select ${names.join(", ")} from ${stage}
      on conflict (${q(primaryKey)}) do update set ${updates.join(", ") || `${q(primaryKey)} = excluded.${q(primaryKey)}`}
      returning (xmax = 0) as fresh)
    select count(*) filter (where fresh)::int as inserted, count(*) filter (where not fresh)::int as updated from up`);
  return r;
}

/** Deletes rows by primary key (change data capture); returns how many were there to delete. */
export async function deleteKeys(tx: Tx, schema: string, table: string, primaryKey: string, pkType: string, keys: unknown[]): Promise<number> {
  if (!keys.length) return 0;
  const rows = await tx.unsafe(`delete from ${qualified(schema, table)} where ${q(primaryKey)} = any($1::${pkType}[]) returning 1`, [
    keys.map((k) => (k === null || k === undefined ? null : String(k))),
  ]);
  return rows.length;
}

export async function countRows(sql: Tx, schema: string, table: string): Promise<number> {
  const [r] = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${qualified(schema, table)}`);
  return r.n;
}
