import postgres from "postgres";
import { config } from "@/lib/runtime/config";
import { quote, sourceConnection } from "../postgres-common";
import { FatalSourceError, TransientSourceError } from "../types";
import { type Lsn, parseLsn } from "./lsn";

/** What pg_replication_slots says about a sync's slot (columns differ by server version, so read it as JSON). */
export type SlotInfo = {
  active: boolean;
  walStatus: string | null;
  /** Invalidated (WAL removed, wal_status `lost`, or a recovery conflict): its changes are gone for good. */
  lost: boolean;
  confirmed: Lsn | null;
  lagBytes: number | null;
};

export async function inspectSlot(sql: postgres.Sql, slot: string): Promise<SlotInfo | null> {
  const [row] = await sql<{ s: Record<string, unknown>; lag: string | null }[]>`
    select to_jsonb(s) as s, pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::text as lag
      from pg_replication_slots s where s.slot_name = ${slot}`;
  if (!row) return null;
  const s = typeof row.s === "string" ? (JSON.parse(row.s) as Record<string, unknown>) : row.s;
  const walStatus = (s.wal_status as string | undefined) ?? null;
  return {
    active: s.active === true,
    walStatus,
    lost: walStatus === "lost" || s.invalidation_reason != null || s.conflicting === true,
    confirmed: typeof s.confirmed_flush_lsn === "string" ? parseLsn(s.confirmed_flush_lsn) : null,
    lagBytes: row.lag == null ? null : Number(row.lag),
  };
}

/**
 * One slot serves every table job of a sync, and Postgres lets only one session use a slot at a time
 * (55006). Every use of it (create, peek, advance, drop) runs under this advisory lock on the source,
 * so table jobs on different workers queue instead of failing. The lock is a session lock on a
 * connection of its own: a crashed worker's connection drops and frees it.
 */
export async function lockSlot(url: string, slot: string): Promise<{ sql: postgres.Sql; release: () => Promise<void> }> {
  const sql = postgres(url, sourceConnection);
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await sql.end({ timeout: 1 });
  };
  try {
    await sql.unsafe("set lock_timeout = '120s'");
    await sql`select pg_advisory_lock(hashtext(${`sync_console_slot:${slot}`}))`;
  } catch (e) {
    await release();
    if ((e as { code?: string }).code === "55P03")
      throw new TransientSourceError(`another table job held replication slot ${slot} for over 2 minutes`);
    throw e;
  }
  return { sql, release };
}

export async function withSlotLock<T>(url: string, slot: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const lock = await lockSlot(url, slot);
  try {
    return await fn(lock.sql);
  } finally {
    await lock.release();
  }
}

/** Slot functions refuse roles without REPLICATION with 42501; say what to grant. */
export async function replicationCall<T>(sql: postgres.Sql, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const err = e as { code?: string };
    if (err.code === "42501") {
      const [{ role }] = await sql<{ role: string }[]>`select current_user as role`;
      throw new FatalSourceError(
        "REPLICATION_PERMISSION_DENIED",
        `The source role ${role} may not use replication slots. Grant it with ALTER ROLE ${quote(role)} WITH REPLICATION (on a managed service, grant its replication role).`,
      );
    }
    if (err.code === "53400") {
      throw new FatalSourceError(
        "REPLICATION_SLOTS_EXHAUSTED",
        "The source has no free replication slot: raise max_replication_slots (and max_wal_senders) and restart it.",
      );
    }
    throw e;
  }
}

/** CDC needs wal_level=logical; without it nothing can be decoded, so say so before touching anything. */
export async function assertLogicalWal(sql: postgres.Sql): Promise<void> {
  const [{ wal_level }] = await sql<{ wal_level: string }[]>`select current_setting('wal_level') as wal_level`;
  if (wal_level !== "logical") {
    throw new FatalSourceError(
      "WAL_LEVEL_NOT_LOGICAL",
      `The source database runs with wal_level=${wal_level}; change data capture needs wal_level=logical. Set it (ALTER SYSTEM SET wal_level = logical) and restart the source server.`,
    );
  }
}

/**
 * The table must publish updates and deletes with a key we can delete by: Postgres itself refuses
 * UPDATE/DELETE on a published table that has no replica identity, so check before publishing it.
 */
export async function assertReplicaIdentity(sql: postgres.Sql, schema: string, table: string, primaryKey: string[]): Promise<void> {
  const [t] = await sql<{ ident: string; kind: string; key: string[] | null }[]>`
    select c.relreplident as ident, c.relkind::text as kind,
           (select array_agg(a.attname::text order by a.attnum)
              from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
             where i.indrelid = c.oid and (case c.relreplident when 'i' then i.indisreplident else i.indisprimary end)) as key
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = ${schema} and c.relname = ${table}`;
  if (!t) throw new FatalSourceError("TABLE_NOT_FOUND", `Table ${schema}.${table} does not exist in the source`);
  if (t.kind === "v" || t.kind === "m") {
    throw new FatalSourceError(
      "REPLICATION_NOT_POSSIBLE",
      `${schema}.${table} is a ${t.kind === "v" ? "view" : "materialized view"}: the log carries changes of tables only. Sync it without replication, with a cursorColumn or in full.`,
    );
  }
  if (t.ident === "f") return;
  if (t.ident === "n" || !t.key?.length) {
    throw new FatalSourceError(
      "REPLICA_IDENTITY_MISSING",
      `Table ${schema}.${table} has no primary key (replica identity), so its updates and deletes cannot be captured. Add a primary key, or run ALTER TABLE ${quote(schema)}.${quote(table)} REPLICA IDENTITY FULL.`,
    );
  }
  // The same columns in any order: a delete carries every identity column, and we read ours by name.
  if (t.key.length !== primaryKey.length || !primaryKey.every((k) => t.key!.includes(k))) {
    throw new FatalSourceError(
      "REPLICA_IDENTITY_MISMATCH",
      `Deletes in ${schema}.${table} are identified by (${t.key.join(", ")}), not by the configured primary key (${primaryKey.join(", ")}). Configure primaryKey ${t.key.length === 1 ? t.key[0] : JSON.stringify(t.key)}, or run ALTER TABLE ${quote(schema)}.${quote(table)} REPLICA IDENTITY FULL.`,
    );
  }
}

/**
 * The sync's publication must exist before its slot: decoding looks publications up as of each
 * transaction. An existing one of that name is used as it is (creating one FOR TABLE needs ownership
 * of the table, so an admin may create it beforehand); a missing table is added to it.
 */
export async function ensurePublication(sql: postgres.Sql, publication: string, schema: string, table: string): Promise<void> {
  const target = `${quote(schema)}.${quote(table)}`;
  const denied = (e: unknown): never => {
    if ((e as { code?: string }).code === "42501") {
      throw new FatalSourceError(
        "PUBLICATION_PERMISSION_DENIED",
        `Publishing ${schema}.${table} needs ownership of the table. Have its owner run: CREATE PUBLICATION ${publication} FOR TABLE ${target} (or ALTER PUBLICATION ${publication} ADD TABLE ${target}).`,
      );
    }
    throw e;
  };
  // As JSON: pubtruncate and row filters (prqual) exist from Postgres 11 and 15 on.
  const [pub] = await sql<{ p: Record<string, unknown>; filter: string | null }[]>`
    select to_jsonb(p) as p,
           (select to_jsonb(r)->>'prqual' from pg_publication_rel r
             where r.prpubid = p.oid and r.prrelid = (select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
                                                      where n.nspname = ${schema} and c.relname = ${table})) as filter
      from pg_publication p where p.pubname = ${publication}`;
  if (!pub) {
    await sql.unsafe(`create publication ${publication} for table ${target}`).catch(denied);
    return;
  }
  const p = typeof pub.p === "string" ? (JSON.parse(pub.p) as Record<string, unknown>) : pub.p;
  // Without truncates a TRUNCATE would pass unseen, and the table would keep rows the source no longer has.
  if (!p.pubinsert || !p.pubupdate || !p.pubdelete || p.pubtruncate === false) {
    throw new FatalSourceError(
      "PUBLICATION_INCOMPLETE",
      `Publication ${publication} must publish inserts, updates, deletes and truncates: ALTER PUBLICATION ${publication} SET (publish = 'insert, update, delete, truncate').`,
    );
  }
  if (pub.filter) {
    throw new FatalSourceError(
      "PUBLICATION_INCOMPLETE",
      `Publication ${publication} publishes only some rows of ${schema}.${table} (a row filter), so changes to the others would be lost: ALTER PUBLICATION ${publication} SET TABLE ${target} (without WHERE).`,
    );
  }
  if (p.puballtables === true) return;
  const [member] =
    await sql`select 1 from pg_publication_tables where pubname = ${publication} and schemaname = ${schema} and tablename = ${table}`;
  // pg_publication_tables lists a published partitioned table by its partitions, so it can be a member
  // without being listed: Postgres then says so (42710), which is what we wanted to know.
  if (!member)
    await sql.unsafe(`alter publication ${publication} add table ${target}`).catch((e: unknown) => {
      if ((e as { code?: string }).code !== "42710") denied(e);
    });
}

/**
 * A new slot waits until every transaction open on the source has ended (its first consistent point).
 * Behind one left open, that wait had no end and no word: it is bounded, and the table says what it
 * waits for and tries again later; the server cancels the waiting statement itself.
 */
export async function createSlot(sql: postgres.Sql, slot: string): Promise<void> {
  await sql.unsafe(`set statement_timeout = ${Math.max(1, Math.round(config.slotCreateWaitMs()))}`);
  try {
    await replicationCall(sql, () => sql`select pg_create_logical_replication_slot(${slot}, 'pgoutput')`);
  } catch (e) {
    if ((e as { code?: string }).code !== "57014") throw e;
    const [oldest] = await sql<{ pid: number; since: string }[]>`
      select pid, to_char(xact_start at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"') as since from pg_stat_activity
       where pid <> pg_backend_pid() and (backend_xid is not null or backend_xmin is not null) and xact_start is not null
       order by xact_start limit 1`;
    throw new TransientSourceError(
      `Creating replication slot ${slot} waits for transactions open on the source to end${oldest ? ` (the oldest since ${oldest.since}, pid ${oldest.pid})` : ""}; the run tries again later.`,
    );
  } finally {
    await sql.unsafe("reset statement_timeout");
  }
}

export async function dropSlot(sql: postgres.Sql, slot: string): Promise<void> {
  await replicationCall(sql, () => sql`select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = ${slot}`);
}
