import type postgres from "postgres";
import type { Column } from "../sources/types";
import { keyList, pkeyName, q, qualified, sameKey, TARGET } from "./ident";
import { asDuplicateKey } from "./refused";
import { DDL_LOCK_WAIT, lockDdl } from "./ddl-lock";
import { describeTable, keyChanged, sameColumns, tableDdl, warehouseKey } from "./table";

/**
 * A resync loads into a shadow table and then makes the live table equal to it in ONE transaction,
 * so readers see the old rows or the new ones, never half, and rows deleted at the source are gone
 * (counted: numDeletedRecords). When users built on the table (views, grants, comments, triggers,
 * indexes, columns of their own), the live table stays and the shadow is merged into it: deletes,
 * inserts, and updates of the rows that changed. When nothing is attached, the shadow is renamed
 * into place instead, which costs nothing per row.
 *
 * The shadow takes its rows without an index, as a restore does: keeping a primary key up to date row
 * by row costs a COPY about as much again as the rows themselves, while building it from the finished
 * table is one sort (prepareSwap). A key the source sent twice is found then, and fails the table as
 * it would have failed its batch.
 */
export const shadowName = (tableJobId: string) => `_sc_shadow_${tableJobId}`;

export async function createShadow(
  sql: postgres.Sql,
  schema: string,
  table: string,
  shadow: string,
  columns: Column[],
  primaryKey: string[],
) {
  await sql.begin(async (tx) => {
    await lockDdl(tx, schema, table);
    if (await describeTable(tx, schema, shadow)) return; // a resumed attempt keeps what earlier ones loaded
    if (await describeTable(tx, schema, table)) {
      // LIKE copies the key column's NOT NULL, not its index.
      await tx.unsafe(`create table ${qualified(schema, shadow)} (like ${qualified(schema, table)} including defaults)`);
    } else {
      await tx.unsafe(tableDdl(schema, shadow, columns, primaryKey, { keyed: false }));
    }
  });
}

/** How the shadow's keys compare with the live table's: the swap's counts. */
export type KeyCounts = { inserted: number; deleted: number; rows: number };

/** Key columns are NOT NULL, so a NULL first key column on one side of the join means no row there. */
const keyCountsSql = (live: string, from: string, key: string[]) => {
  const first = q(key[0]);
  return `select count(*) filter (where l.${first} is null)::int as inserted, count(*) filter (where s.${first} is null)::int as deleted,
          count(s.${first})::int as rows
     from ${live} l full join ${from} s on ${sameKey(key, "s", "l")}`;
};

/**
 * After the shadow's last batch, outside the swap's transaction (readers of the live table wait for
 * neither step): the shadow's primary key is built and, on a second connection at the same time, its
 * keys are compared with the live table's when the swap will be a rename. Both only read the
 * finished shadow, so on two cores the comparison adds little to the sort. Safe to repeat: a resumed
 * attempt finds the key built.
 */
export async function prepareSwap(
  sql: postgres.Sql,
  schema: string,
  table: string,
  shadow: string,
  primaryKey: string[],
  written: string[],
): Promise<KeyCounts | null> {
  const from = qualified(schema, shadow);
  const live = !!(await describeTable(sql, schema, table));
  const renamed = !live || (await nothingAttached(sql, schema, table, written));
  const key = async () => {
    const [{ keyed }] = await sql<{ keyed: boolean }[]>`
      select exists (select 1 from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
                      where n.nspname = ${schema} and c.relname = ${shadow} and i.indisprimary) as keyed`;
    // Not ADD PRIMARY KEY: its lock would make the comparison wait for the sort.
    const index = q(`${shadow}_pkey`);
    if (!keyed)
      await sql
        .unsafe(`create unique index if not exists ${index} on ${from} (${keyList(primaryKey)})`)
        .catch((e: unknown) => Promise.reject(asDuplicateKey(e, table, primaryKey, ["23505"])));
    // Renamed in, the shadow is a new relation: without this it would have no planner statistics
    // (the table it replaces had them) until autovacuum came by. Taken while the comparison runs,
    // before the constraint, whose lock waits for the comparison to end.
    if (renamed) await sql.unsafe(`analyze ${from}`);
    if (!keyed) await sql.unsafe(`alter table ${from} add constraint ${index} primary key using index ${index}`);
  };
  const count = async (): Promise<KeyCounts | null> => {
    if (!live || !renamed) return null;
    const [r] = await sql.unsafe<KeyCounts[]>(keyCountsSql(qualified(schema, table), from, primaryKey));
    return r;
  };
  const [, counts] = await Promise.all([key(), count()]);
  return counts;
}

/** The live table's columns a sync writes: the source's, and those it dropped (set to NULL). */
export const writtenColumns = (columns: Column[], dropped: string[]) => [...columns.map((c) => c.name), ...dropped];

export async function dropShadow(sql: postgres.Sql | postgres.TransactionSql, schema: string, shadow: string) {
  await sql.unsafe(`drop table if exists ${qualified(schema, shadow)}`);
}

/**
 * True when nothing but our own rows hangs off the live table — no view or rule reads it, no
 * trigger, policy, foreign key, publication, grant or comment, no other owner, storage option,
 * statistics target or replica identity, no index but the primary key, no column the source does
 * not write. Then swapping in the shadow is indistinguishable from merging
 * into it, and much cheaper: a rename instead of rewriting every row.
 */
async function nothingAttached(
  tx: postgres.Sql | postgres.TransactionSql,
  schema: string,
  table: string,
  written: string[],
): Promise<boolean> {
  const [r] = await tx<{ attached: boolean }[]>`
    with t as (select c.oid, c.relacl, c.relrowsecurity, c.relowner, c.reloptions, c.relreplident from pg_class c
                 join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema} and c.relname = ${table})
    select t.relacl is not null or t.relrowsecurity
        or t.relowner <> (select oid from pg_roles where rolname = current_user) or t.reloptions is not null or t.relreplident <> 'd'
        or exists (select 1 from pg_attribute where attrelid = t.oid and attnum > 0
                     and (coalesce(attstattarget, -1) <> -1 or attoptions is not null))
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
 * `counted` comes from prepareSwap; it is used only if the swap is still a rename (nothing was
 * attached to the table in between).
 */
export async function replaceFromShadow(
  tx: postgres.TransactionSql,
  schema: string,
  table: string,
  shadow: string,
  columns: Column[],
  primaryKey: string[],
  dropped: string[],
  counted: KeyCounts | null,
): Promise<{ inserted: number; updated: number; deleted: number }> {
  const live = qualified(schema, table);
  const from = qualified(schema, shadow);
  await tx.unsafe(`set local lock_timeout = '${DDL_LOCK_WAIT}'`);
  const renameIn = async () => {
    await tx.unsafe(`alter table ${from} rename to ${q(table)}`);
    await tx.unsafe(`alter table ${live} rename constraint ${q(`${shadow}_pkey`)} to ${q(pkeyName(table))}`);
  };
  const countShadow = async () => (await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from ${from}`))[0].n;
  if (!(await describeTable(tx, schema, table))) {
    const n = await countShadow();
    await renameIn();
    return { inserted: n, updated: 0, deleted: 0 };
  }
  const pk = keyList(primaryKey);
  // Only the source's columns (and those it dropped) are written: a column a user added by hand keeps its values.
  const writtenNames = writtenColumns(columns, dropped);
  const written = writtenNames.map(q);
  if (await nothingAttached(tx, schema, table, writtenNames)) {
    // All three counts in one pass over the two keys (one full join instead of anti-joins and a count).
    const { inserted, deleted, rows } = counted ?? (await tx.unsafe<KeyCounts[]>(keyCountsSql(live, from, primaryKey)))[0];
    await tx.unsafe(`drop table ${live}`);
    await renameIn();
    return { inserted, updated: rows - inserted, deleted };
  }
  // Merged into, the live table keeps its own primary key: one on other columns cannot take the upsert.
  const liveKey = await warehouseKey(tx, schema, table);
  if (liveKey && !sameColumns(liveKey, primaryKey)) {
    throw keyChanged(
      schema,
      table,
      liveKey,
      primaryKey,
      "Views, grants, indexes or columns of your own are attached to it, so a resync merges into it instead of replacing it: change its primary key by hand (ALTER TABLE ... DROP CONSTRAINT, ADD PRIMARY KEY), then resync.",
    );
  }
  const n = await countShadow();
  const keyed = new Set(primaryKey.map(q));
  const others = written.filter((c) => !keyed.has(c));
  const deleted = (
    await tx.unsafe(`delete from ${live} l where not exists (select 1 from ${from} s where ${sameKey(primaryKey, "s", "l")})`)
  ).count;
  // Unchanged rows are not rewritten (no new row versions, no index churn), but they count as updated.
  // Compared as text: json, xml and point have no equality operator.
  const [{ inserted }] = await tx.unsafe<{ inserted: number }[]>(`
    with up as (
      insert into ${live} as ${TARGET} (${written.join(", ")}) select ${written.join(", ")} from ${from}
      on conflict (${pk}) do update set ${others.map((c) => `${c} = excluded.${c}`).join(", ") || `${q(primaryKey[0])} = excluded.${q(primaryKey[0])}`}
      ${others.length ? `where row(${others.map((c) => `${TARGET}.${c}`).join(", ")})::text is distinct from row(${others.map((c) => `excluded.${c}`).join(", ")})::text` : "where false"}
      returning (xmax = 0) as fresh)
    select count(*) filter (where fresh)::int as inserted from up`);
  await tx.unsafe(`drop table ${from}`);
  return { inserted, updated: n - inserted, deleted };
}
