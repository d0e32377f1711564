import type postgres from "postgres";
import type { Column } from "../sources/types";
import { q, qualified } from "./ident";
import { describeTable, tableDdl } from "./table";

/**
 * A resync loads into a shadow table and then makes the live table equal to it in ONE transaction,
 * so readers see the old rows or the new ones, never half, and rows deleted at the source are gone
 * (counted: numDeletedRecords). When users built on the table (views, grants, comments, triggers,
 * indexes, columns of their own), the live table stays and the shadow is merged into it: deletes,
 * inserts, and updates of the rows that changed. When nothing is attached, the shadow is renamed
 * into place instead, which costs nothing per row.
 */
export const shadowName = (tableJobId: string) => `_sc_shadow_${tableJobId}`;

export async function createShadow(
  sql: postgres.Sql,
  schema: string,
  table: string,
  shadow: string,
  columns: Column[],
  primaryKey: string,
) {
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${`sync-console-ddl:${schema}`}))`;
    if (await describeTable(tx, schema, shadow)) return; // a resumed attempt keeps what earlier ones loaded
    if (await describeTable(tx, schema, table)) {
      await tx.unsafe(`create table ${qualified(schema, shadow)} (like ${qualified(schema, table)} including defaults)`);
      await tx.unsafe(`alter table ${qualified(schema, shadow)} add primary key (${q(primaryKey)})`);
    } else {
      await tx.unsafe(tableDdl(schema, shadow, columns, primaryKey));
    }
  });
}

export async function dropShadow(sql: postgres.Sql | postgres.TransactionSql, schema: string, shadow: string) {
  await sql.unsafe(`drop table if exists ${qualified(schema, shadow)}`);
}

/**
 * True when nothing but our own rows hangs off the live table — no view or rule reads it, no
 * trigger, policy, foreign key, publication, grant or comment, no index but the primary key, no
 * column the source does not write. Then swapping in the shadow is indistinguishable from merging
 * into it, and much cheaper: a rename instead of rewriting every row.
 */
async function nothingAttached(tx: postgres.TransactionSql, schema: string, table: string, written: string[]): Promise<boolean> {
  const [r] = await tx<{ attached: boolean }[]>`
    with t as (select c.oid, c.relacl, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = ${schema} and c.relname = ${table})
    select t.relacl is not null or t.relrowsecurity
        or exists (select 1 from pg_depend d join pg_rewrite r on r.oid = d.objid where d.refobjid = t.oid and r.ev_class <> t.oid)
        or exists (select 1 from pg_trigger where tgrelid = t.oid and not tgisinternal)
        or exists (select 1 from pg_constraint where confrelid = t.oid)
        or exists (select 1 from pg_publication_rel where prrelid = t.oid)
        or exists (select 1 from pg_description where objoid = t.oid and classoid = 'pg_class'::regclass)
        or (select count(*) from pg_index where indrelid = t.oid) <> 1
        or exists (select 1 from pg_attribute where attrelid = t.oid and attnum > 0 and not attisdropped and not (attname = any(${written})))
        as attached
    from t`;
  return r ? !r.attached : false;
}

/**
 * Inside the caller's warehouse transaction: live := shadow, then the shadow is gone. Counts are the
 * same on both paths: inserted = keys new to the table, updated = keys it had, deleted = keys it lost.
 */
export async function replaceFromShadow(
  tx: postgres.TransactionSql,
  schema: string,
  table: string,
  shadow: string,
  columns: Column[],
  primaryKey: string,
  dropped: string[],
): Promise<{ inserted: number; updated: number; deleted: number }> {
  const live = qualified(schema, table);
  const from = qualified(schema, shadow);
  const [{ n }] = await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from ${from}`);
  if (!(await describeTable(tx, schema, table))) {
    await tx.unsafe(`alter table ${from} rename to ${q(table)}`);
    await tx.unsafe(`alter table ${live} rename constraint ${q(`${shadow}_pkey`)} to ${q(`${table}_pkey`)}`);
    return { inserted: n, updated: 0, deleted: 0 };
  }
  const pk = q(primaryKey);
  // Only the source's columns (and those it dropped) are written: a column a user added by hand keeps its values.
  const writtenNames = [...columns.map((c) => c.name), ...dropped];
  const written = writtenNames.map(q);
  if (await nothingAttached(tx, schema, table, writtenNames)) {
    // Both counts in one pass over the two keys (one full join instead of two anti-joins).
    const [{ inserted, deleted }] = await tx.unsafe<{ inserted: number; deleted: number }[]>(
      `select count(*) filter (where l.${pk} is null)::int as inserted, count(*) filter (where s.${pk} is null)::int as deleted
         from ${live} l full join ${from} s on s.${pk} = l.${pk}`,
    );
    await tx.unsafe(`drop table ${live}`);
    await tx.unsafe(`alter table ${from} rename to ${q(table)}`);
    await tx.unsafe(`alter table ${live} rename constraint ${q(`${shadow}_pkey`)} to ${q(`${table}_pkey`)}`);
    return { inserted, updated: n - inserted, deleted };
  }
  const others = written.filter((c) => c !== pk);
  const deleted = (await tx.unsafe(`delete from ${live} l where not exists (select 1 from ${from} s where s.${pk} = l.${pk})`)).count;
  // Unchanged rows are not rewritten (no new row versions, no index churn), but they count as updated.
  const [{ inserted }] = await tx.unsafe<{ inserted: number }[]>(`
    with up as (
      insert into ${live} (${written.join(", ")}) select ${written.join(", ")} from ${from}
      on conflict (${pk}) do update set ${others.map((c) => `${c} = excluded.${c}`).join(", ") || `${pk} = excluded.${pk}`}
      ${others.length ? `where (${others.map((c) => `${live}.${c}`).join(", ")}) is distinct from (${others.map((c) => `excluded.${c}`).join(", ")})` : "where false"}
      returning (xmax = 0) as fresh)
    select count(*) filter (where fresh)::int as inserted from up`);
  await tx.unsafe(`drop table ${from}`);
  return { inserted, updated: n - inserted, deleted };
}
