import type postgres from "postgres";
import type { Column } from "../sources/types";
import { keyList, q, qualified } from "./ident";
import { DDL_LOCK_WAIT, lockDdl } from "./ddl-lock";
import { planSchemaChanges, type SchemaChange, SchemaChangeRefused } from "./schema-changes";
import { knownColumns, rememberColumns } from "./state";
import { LoadRefused } from "./refused";

/** The warehouse table of one source table: created from the source's columns, then kept in step with them. */
type Sql = postgres.Sql | postgres.TransactionSql;

export async function describeTable(sql: Sql, schema: string, table: string): Promise<Column[] | null> {
  const rows = await sql<{ name: string; type: string; not_null: boolean }[]>`
    select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = ${schema} and c.relname = ${table} and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
     order by a.attnum`;
  return rows.length ? rows.map((r) => ({ name: r.name, type: r.type, notNull: r.not_null })) : null;
}

/** `keyed: false` leaves out the primary key's index (its column stays not null): a resync's shadow builds it last. */
export function tableDdl(schema: string, table: string, columns: Column[], primaryKey: string[], { keyed = true } = {}): string {
  const cols = columns.map((c) => `${q(c.name)} ${c.type}${c.notNull || primaryKey.includes(c.name) ? " not null" : ""}`);
  if (keyed) cols.push(`primary key (${keyList(primaryKey)})`);
  return `create table if not exists ${qualified(schema, table)} (${cols.join(", ")})`;
}

export type PreparedTable = { changes: SchemaChange[]; dropped: string[]; existed: boolean };

/**
 * Creates the table when missing, else applies the source's schema changes to it (added columns,
 * widenings; dropped columns lose NOT NULL) in one transaction, before any batch of this run lands.
 * Runs of the same warehouse table serialise their DDL on an advisory lock; other tables of the schema
 * do not wait for it (8 tables of one sync each waited for the others' CREATE TABLE and commit in turn,
 * so the last one started about a second after the first).
 */
export async function prepareTable(
  sql: postgres.Sql,
  schema: string,
  table: string,
  columns: Column[],
  primaryKey: string[],
  policy: "propagate" | "fail",
  opts: { create: boolean; incremental?: boolean },
): Promise<PreparedTable> {
  return sql.begin(async (tx) => {
    await lockDdl(tx, schema, table);
    const existing = await describeTable(tx, schema, table);
    if (!existing && opts.incremental) {
      // Created now, it would hold only the rows changed since the checkpoint, and look complete.
      throw new LoadRefused(
        "WAREHOUSE_TABLE_MISSING",
        `The warehouse table ${schema}.${table} that earlier runs loaded is gone (dropped or renamed). Run a resync to load it in full.`,
      );
    }
    if (!existing) {
      if (opts.create) await tx.unsafe(tableDdl(schema, table, columns, primaryKey));
      await rememberColumns(tx, schema, table, columns, []);
      return { changes: [], dropped: [], existed: false };
    }
    // A normal run upserts on the key; only a resync can rebuild a table on another one.
    const key = await warehouseKey(tx, schema, table);
    if (opts.create && key && !sameColumns(key, primaryKey))
      throw keyChanged(schema, table, key, primaryKey, "Run a resync to rebuild it on the new key.");
    const plan = planSchemaChanges(existing, columns, await knownColumns(tx, schema, table), policy, primaryKey);
    const target = qualified(schema, table);
    if (plan.changes.length) await tx.unsafe(`set local lock_timeout = '${DDL_LOCK_WAIT}'`);
    for (const c of plan.changes) {
      const col = columns.find((x) => x.name === c.column);
      if (c.change === "added") await tx.unsafe(`alter table ${target} add column ${q(c.column)} ${col!.type}`);
      if (c.change !== "widened") continue;
      if (c.from?.replace(/ not null$/, "") !== c.to) await widen(tx, target, c, col!.type);
      if (c.from?.endsWith(" not null")) await tx.unsafe(`alter table ${target} alter column ${q(c.column)} drop not null`);
    }
    for (const name of plan.dropped) {
      if (existing.find((c) => c.name === name)?.notNull) await tx.unsafe(`alter table ${target} alter column ${q(name)} drop not null`);
    }
    await rememberColumns(tx, schema, table, columns, plan.dropped);
    return { changes: plan.changes, dropped: plan.dropped, existed: true };
  }) as Promise<PreparedTable>;
}

/** The columns of a warehouse table's primary key, or null when it has none. */
export async function warehouseKey(sql: Sql, schema: string, table: string): Promise<string[] | null> {
  const [row] = await sql<{ key: string[] | null }[]>`
    select array(select a.attname::text from unnest(i.indkey) with ordinality k(attnum, ord)
                   join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum order by k.ord) as key
      from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = ${schema} and c.relname = ${table} and i.indisprimary`;
  return row?.key ?? null;
}

/** An upsert's ON CONFLICT matches a key by its set of columns, in any order. */
export const sameColumns = (a: string[], b: string[]) => a.length === b.length && a.every((c) => b.includes(c));

export const keyChanged = (schema: string, table: string, had: string[], wants: string[], remedy: string) =>
  new LoadRefused(
    "PRIMARY_KEY_CHANGED",
    `The warehouse table ${schema}.${table} has the primary key (${had.join(", ")}), but the sync now keys it on (${wants.join(", ")}). ${remedy}`,
  );

async function widen(tx: postgres.TransactionSql, target: string, change: SchemaChange, type: string) {
  try {
    await tx.savepoint((sp) => sp.unsafe(`alter table ${target} alter column ${q(change.column)} type ${type}`));
  } catch (e) {
    // Postgres will not retype a column a view or rule reads; say so rather than a bare LOAD_FAILED.
    if ((e as { code?: string }).code !== "0A000") throw e;
    throw new SchemaChangeRefused(
      "SCHEMA_CHANGE_INCOMPATIBLE",
      `Column "${change.column}" changed at the source from ${change.from} to ${change.to}, but a view or rule in the warehouse reads it, so its type cannot change. Drop or adjust the view, then run again.`,
    );
  }
}
