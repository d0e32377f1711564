import type postgres from "postgres";
import type { LandedState, RejectedRecord } from "@/lib/jobs/state";
import { qualified } from "./ident";
import { lockDdl } from "./ddl-lock";
import type { Column } from "../sources/types";
import { type KnownColumns, normalizeType } from "./schema-changes";

/**
 * When the warehouse is another database, it is the record of what landed. Each batch commits its rows together with its table
 * job's row in `_sync_console_state` (position, counters, the records it refused), in the warehouse's
 * own transaction; the control plane copies that account afterwards (recordLanded). A crash between
 * the two commits loses nothing: whoever resumes the table reads this row first and catches up.
 *
 * Records a batch refused (a null in a not-null column) wait in `_sync_console_rejected` until the control
 * plane has turned them into error records, however far behind it fell.
 *
 * The row is also a fence: each attempt raises `attempt`, and a batch commits only while the row
 * still carries its own attempt, so a worker that lost its lease cannot land a stale batch.
 *
 * A warehouse in the control plane's own database needs none of this: a batch's rows and the
 * table job's counters and checkpoint commit in one transaction there (recordBatch). Only the
 * columns table is used by both.
 */
export const STATE_TABLE = "_sync_console_state";
/** What the warehouse remembers of each source table's columns, for telling dropped columns from user-added ones. */
export const COLUMNS_TABLE = "_sync_console_columns";
export const REJECTED_TABLE = "_sync_console_rejected";

type Sql = postgres.Sql | postgres.TransactionSql;

export type Landed = LandedState & { phase: "loading" | "merged" };

/** A write that found the state row raised by a newer attempt: another worker owns the table now. */
export class FencedOut extends Error {}

export async function ensureStateTables(sql: postgres.Sql, schema: string) {
  await sql.begin(async (tx) => {
    await lockDdl(tx, schema);
    await tx.unsafe(`create schema if not exists "${schema.replaceAll('"', '""')}"`);
    await tx.unsafe(`
      create table if not exists ${qualified(schema, STATE_TABLE)} (
        table_job_id text primary key, sync_id text not null, table_name text not null, attempt int not null,
        phase text not null default 'loading', batches int not null default 0, cursor jsonb,
        extracted bigint not null default 0, loaded bigint not null default 0, inserted bigint not null default 0,
        updated bigint not null default 0, deleted bigint not null default 0, errors bigint not null default 0,
        updated_at timestamptz not null default now())`);
    await tx.unsafe(`
      create table if not exists ${qualified(schema, REJECTED_TABLE)} (
        table_job_id text not null, batch int not null, records jsonb not null, primary key (table_job_id, batch))`);
    await tx.unsafe(`
      create table if not exists ${qualified(schema, COLUMNS_TABLE)} (
        table_name text primary key, columns jsonb not null, dropped jsonb not null default '[]', types jsonb,
        updated_at timestamptz not null default now())`);
    // Kept since types are compared too; a schema from before has the table without the column.
    const [{ typed }] = await tx.unsafe<{ typed: boolean }[]>(
      `select exists (select 1 from pg_attribute where attrelid = $1::regclass and attname = 'types' and not attisdropped) as typed`,
      [qualified(schema, COLUMNS_TABLE)],
    );
    if (!typed) await tx.unsafe(`alter table ${qualified(schema, COLUMNS_TABLE)} add column types jsonb`);
  });
}

type StateRow = {
  attempt: number;
  phase: "loading" | "merged";
  batches: number;
  cursor: unknown;
  extracted: string;
  loaded: string;
  inserted: string;
  updated: string;
  deleted: string;
  errors: string;
};

const toLanded = (r: StateRow): Landed => ({
  phase: r.phase,
  batches: r.batches,
  cursor: r.cursor,
  extracted: Number(r.extracted),
  loaded: Number(r.loaded),
  inserted: Number(r.inserted),
  updated: Number(r.updated),
  deleted: Number(r.deleted),
  errors: Number(r.errors),
});

/**
 * Opens an attempt: raises the fence to this attempt and returns what earlier attempts landed.
 * An equal attempt number passes: a graceful stop gives its attempt back (releaseTable) after its
 * last write, and the next claim reuses the number.
 * Rows of the same table's earlier table jobs are removed (at most one job per sync is active).
 */
export async function openAttempt(
  sql: postgres.Sql,
  schema: string,
  claim: { id: string; sync_id: string; table_name: string; num_attempts: number },
): Promise<Landed> {
  return sql.begin(async (tx) => {
    const [row] = await tx.unsafe<StateRow[]>(
      `insert into ${qualified(schema, STATE_TABLE)} as s (table_job_id, sync_id, table_name, attempt) values ($1, $2, $3, $4)
       on conflict (table_job_id) do update set attempt = excluded.attempt, updated_at = now() where s.attempt <= excluded.attempt
       returning *`,
      [claim.id, claim.sync_id, claim.table_name, claim.num_attempts],
    );
    if (!row) throw new FencedOut();
    await tx.unsafe(`delete from ${qualified(schema, STATE_TABLE)} where sync_id = $1 and table_name = $2 and table_job_id <> $3`, [
      claim.sync_id,
      claim.table_name,
      claim.id,
    ]);
    await tx.unsafe(
      `delete from ${qualified(schema, REJECTED_TABLE)} r where not exists (select 1 from ${qualified(schema, STATE_TABLE)} s where s.table_job_id = r.table_job_id)`,
    );
    return toLanded(row);
  }) as Promise<Landed>;
}

/** Locks the state row inside a warehouse transaction; says whether it still carries our attempt. */
export async function fenceHeld(tx: Sql, schema: string, tableJobId: string, attempt: number): Promise<boolean> {
  const [row] = await tx
    .unsafe<{ attempt: number }[]>(`select attempt from ${qualified(schema, STATE_TABLE)} where table_job_id = $1 for update`, [tableJobId])
    .execute(); // sent at once (pipelined.ts)
  return row?.attempt === attempt;
}

/** holdFence, throwing FencedOut when another attempt owns the table now. */
export async function holdFence(tx: Sql, schema: string, tableJobId: string, attempt: number) {
  if (!(await fenceHeld(tx, schema, tableJobId, attempt))) throw new FencedOut();
}

/**
 * Adds one batch's effect to the state row (same transaction as its rows) and returns the new
 * account. The update is also the fence: it matches only while the row carries this attempt, so a
 * batch of a worker that was fenced out rolls back (FencedOut) instead of committing.
 */
export async function addBatch(
  tx: Sql,
  schema: string,
  tableJobId: string,
  attempt: number,
  batch: {
    cursor: unknown;
    extracted: number;
    loaded: number;
    inserted: number;
    updated: number;
    deleted: number;
    rejected: RejectedRecord[];
    phase?: "merged";
  },
): Promise<Landed> {
  // postgres.js encodes jsonb parameters itself: pass values, not JSON text. Both statements go out
  // at once (see pipelined.ts): the refused records take the batch number the update just set.
  const updated = tx
    .unsafe<StateRow[]>(
      `update ${qualified(schema, STATE_TABLE)} set batches = batches + 1, cursor = $2::jsonb, phase = coalesce($9, phase),
            extracted = extracted + $3, loaded = loaded + $4, inserted = inserted + $5, updated = updated + $6,
            deleted = deleted + $7, errors = errors + $8, updated_at = now()
      where table_job_id = $1 and attempt = $10 returning *`,
      [
        tableJobId,
        (batch.cursor ?? null) as never,
        batch.extracted,
        batch.loaded,
        batch.inserted,
        batch.updated,
        batch.deleted,
        batch.rejected.length,
        batch.phase ?? null,
        attempt,
      ],
    )
    .execute();
  const kept = batch.rejected.length
    ? tx
        .unsafe(
          `insert into ${qualified(schema, REJECTED_TABLE)} (table_job_id, batch, records)
         select table_job_id, batches, $2::jsonb from ${qualified(schema, STATE_TABLE)} where table_job_id = $1 and attempt = $3`,
          [tableJobId, batch.rejected as never, attempt],
        )
        .execute()
    : null;
  const [[row]] = await Promise.all([updated, kept]);
  if (!row) throw new FencedOut();
  return toLanded(row);
}

/** The records refused by this table job's batches in (after, upTo], oldest first. */
export async function rejectedBetween(
  sql: Sql,
  schema: string,
  tableJobId: string,
  after: number,
  upTo: number,
): Promise<RejectedRecord[]> {
  // Bounded above: a later batch may already have landed while an earlier one is being accounted for.
  const rows = await sql.unsafe<{ records: RejectedRecord[] }[]>(
    `select records from ${qualified(schema, REJECTED_TABLE)} where table_job_id = $1 and batch > $2 and batch <= $3 order by batch`,
    [tableJobId, after, upTo],
  );
  return rows.flatMap((r) => r.records);
}

/** What has landed so far, without opening an attempt (a cancel's last look). */
export async function readLanded(sql: Sql, schema: string, tableJobId: string): Promise<Landed | null> {
  const [row] = await sql.unsafe<StateRow[]>(`select * from ${qualified(schema, STATE_TABLE)} where table_job_id = $1`, [tableJobId]);
  return row ? toLanded(row) : null;
}

export async function knownColumns(sql: Sql, schema: string, table: string): Promise<KnownColumns | null> {
  const [row] = await sql.unsafe<KnownColumns[]>(
    `select columns, dropped, types from ${qualified(schema, COLUMNS_TABLE)} where table_name = $1`,
    [table],
  );
  return row ?? null;
}

export async function rememberColumns(sql: Sql, schema: string, table: string, columns: Column[], dropped: string[]) {
  const types = Object.fromEntries(columns.map((c) => [c.name, normalizeType(c.type)]));
  await sql.unsafe(
    `insert into ${qualified(schema, COLUMNS_TABLE)} (table_name, columns, dropped, types) values ($1, $2::jsonb, $3::jsonb, $4::jsonb)
     on conflict (table_name) do update set columns = excluded.columns, dropped = excluded.dropped, types = excluded.types, updated_at = now()`,
    [table, columns.map((c) => c.name), dropped, types] as never[],
  );
}
