import type postgres from "postgres";
import type { Column } from "../sources/types";
import { q, qualified } from "./ident";
import { describeTable, tableDdl } from "./table";

/**
 * A resync loads into a shadow table and then makes the live table equal to it in ONE transaction:
 * rows the source no longer has are deleted (counted: numDeletedRecords), new ones inserted, changed
 * ones updated, unchanged ones left alone. The live table itself stays — with its views, grants,
 * comments, triggers and user-made indexes — and readers see the old rows or the new ones, never half.
 * Only when there is no live table yet is the finished shadow renamed into place.
 */
export const shadowName = (tableJobId: string) => `_sc_shadow_${tableJobId}`;

export async function createShadow(sql: postgres.Sql, schema: string, table: string, shadow: string, columns: Column[], primaryKey: string) {
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

/** Inside the caller's warehouse transaction: live := shadow, then the shadow is dropped. */
export async function mergeShadow(
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
  if (!(await describeTable(tx, schema, table))) {
    const [{ n }] = await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from ${from}`);
    await tx.unsafe(`alter table ${from} rename to ${q(table)}`);
    return { inserted: n, updated: 0, deleted: 0 };
  }
  const pk = q(primaryKey);
  // Only the source's columns (and those it dropped) are written: a column a user added by hand keeps its values.
  const written = [...columns.map((c) => c.name), ...dropped].map(q);
  const others = written.filter((c) => c !== pk);
  const [gone] = await tx.unsafe<{ n: number }[]>(
    `with gone as (delete from ${live} l where not exists (select 1 from ${from} s where s.${pk} = l.${pk}) returning 1) select count(*)::int as n from gone`,
  );
  const [r] = await tx.unsafe<{ inserted: number; updated: number }[]>(`
    with up as (
      insert into ${live} (${written.join(", ")}) select ${written.join(", ")} from ${from}
      on conflict (${pk}) do update set ${others.map((c) => `${c} = excluded.${c}`).join(", ") || `${pk} = excluded.${pk}`}
      ${others.length ? `where (${others.map((c) => `${live}.${c}`).join(", ")}) is distinct from (${others.map((c) => `excluded.${c}`).join(", ")})` : "where false"}
      returning (xmax = 0) as fresh)
    select count(*) filter (where fresh)::int as inserted, count(*) filter (where not fresh)::int as updated from up`);
  await tx.unsafe(`drop table ${from}`);
  return { inserted: r.inserted, updated: r.updated, deleted: gone.n };
}
