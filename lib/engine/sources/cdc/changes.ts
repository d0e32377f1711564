import postgres from "postgres";
import { PgoutputParser } from "pg-logical-replication/dist/output-plugins/pgoutput/pgoutput-parser.js";
import type {
  MessageDelete,
  MessageInsert,
  MessageRelation,
  MessageUpdate,
} from "pg-logical-replication/dist/output-plugins/pgoutput/pgoutput.types.js";
import { quote, sourceConnection, toReadError } from "../postgres-common";
import { type KeyTuple, SourceKey } from "../source-key";
import { type Batch, type Column, FatalSourceError, TransientSourceError } from "../types";
import { type CdcCursor, cursorLsn } from "./cursor";
import { formatLsn, type Lsn, maxLsn, parseLsn } from "./lsn";
import { lockSlot } from "./slot";

type ChangeOpts = {
  url: string;
  slot: string;
  publication: string;
  schema: string;
  table: string;
  columns: Column[];
  primaryKey: string[];
  batchSize: number;
  from: CdcCursor;
  /** This run reads the transactions that commit before this position; later ones are the next run's. */
  upTo: Lsn;
  /** Throws when the slot can no longer serve `from` (checked under the slot lock, right before reading). */
  assertServes: (sql: postgres.Sql) => Promise<void>;
  /** Told the position the whole stream was read to (the table's checkpoint when the run completes). */
  onEnd: (cursor: CdcCursor) => void;
};

/** The last change of one key within a batch. `reread`: a change that lacks a column's value (read the row again). */
type Pending = { kind: "row"; row: (string | null)[] } | { kind: "delete"; key: KeyTuple } | { kind: "reread"; key: KeyTuple };

const PEEK = `select data from pg_logical_slot_peek_binary_changes($1::name, $2::pg_lsn, null, 'proto_version', '1', 'publication_names', $3::text)`;

/**
 * Reads this table's changes from the sync's slot without consuming them (the slot serves every table
 * of the sync and only moves once all of them have committed past a position). Transactions this table
 * already applied are skipped by their commit position; changes come out in commit order, batched at
 * transaction boundaries, with a transaction bigger than a batch split at a counted change. Within a
 * batch each key keeps only its last change.
 */
export async function* changeBatches(opts: ChangeOpts, signal: AbortSignal): AsyncIterable<Batch> {
  const reader = postgres(opts.url, sourceConnection);
  const rereader = postgres(opts.url, sourceConnection);
  const lock = await lockSlot(opts.url, opts.slot);
  const parser = new PgoutputParser();
  const ours = new TableRelations(rereader, opts.schema, opts.table);

  let applied = cursorLsn(opts.from); // transactions committing at/after this are not applied yet
  const half = opts.from.txn ? { lsn: parseLsn(opts.from.txn.lsn), done: opts.from.txn.done } : null;
  let emitted = opts.from.emitted;
  let pending = new Map<string, Pending>();
  let changes = 0; // changes gathered into `pending`
  // The transaction being read: its commit position, whether it is ours to apply, and our changes so far.
  let txn: { final: Lsn; apply: boolean; seen: number; skip: number } | null = null;

  const flush = async (cursor: CdcCursor): Promise<Batch> => {
    const batch = await toBatch(rereader, opts, pending);
    pending = new Map();
    changes = 0;
    return { ...batch, cursor };
  };

  try {
    await opts.assertServes(lock.sql);
    const rows = reader.unsafe<{ data: Buffer }[]>(PEEK, [opts.slot, formatLsn(opts.upTo), opts.publication]).cursor(2000);
    for await (const chunk of rows) {
      // The peek decodes everything up front, then lets the slot go: other tables may use it now.
      await lock.release();
      if (signal.aborted) return;
      for (const { data } of chunk) {
        const tag = data[0];
        if (tag === 0x42 /* B */) {
          const final = data.readBigUInt64BE(1);
          txn = { final, apply: final >= applied, seen: 0, skip: half && half.lsn === final ? half.done : 0 };
        } else if (tag === 0x52 /* R */) {
          const rel = parser.parse(data) as MessageRelation;
          // Values stay as the source printed them (COPY takes them back exactly): no JS conversion.
          for (const c of rel.columns) c.parser = (raw: unknown) => raw;
          await ours.learn(rel);
        } else if (tag === 0x59 /* Y */) {
          parser.parse(data);
        } else if (tag === 0x49 || tag === 0x55 || tag === 0x44 /* I U D */) {
          if (!txn?.apply || !ours.has(data.readInt32BE(1))) continue;
          txn.seen++;
          if (txn.seen <= txn.skip) continue;
          addChange(pending, parser.parse(data) as MessageInsert | MessageUpdate | MessageDelete, opts);
          changes++;
          if (changes >= opts.batchSize) {
            const cursor: CdcCursor = {
              cdc: 1,
              lsn: formatLsn(applied),
              txn: { lsn: formatLsn(txn.final), done: txn.seen },
              emitted: (emitted += changes),
            };
            yield await flush(cursor);
            if (signal.aborted) return;
          }
        } else if (tag === 0x54 /* T */) {
          if (!txn?.apply) continue;
          const n = data.readInt32BE(1);
          for (let i = 0; i < n; i++) {
            if (ours.has(data.readInt32BE(6 + 4 * i))) {
              throw new FatalSourceError(
                "SOURCE_TABLE_TRUNCATED",
                `Table ${opts.schema}.${opts.table} was truncated at the source; run a resync to copy it again.`,
              );
            }
          }
        } else if (tag === 0x43 /* C */) {
          const end = data.readBigUInt64BE(10);
          if (txn?.apply) applied = maxLsn(applied, end);
          txn = null;
          if (changes >= opts.batchSize) yield await flush({ cdc: 1, lsn: formatLsn(applied), emitted: (emitted += changes) });
          if (signal.aborted) return;
        }
      }
    }
    if (signal.aborted) return;
    // Every transaction committing before `upTo` has been read: the table is current up to there.
    const end: CdcCursor = { cdc: 1, lsn: formatLsn(maxLsn(applied, opts.upTo)), emitted: emitted + changes };
    if (changes) yield await flush(end);
    opts.onEnd({ ...end, emitted: 0 });
  } catch (e) {
    throw lostOr(e, opts.slot);
  } finally {
    await lock.release();
    await Promise.allSettled([reader.end({ timeout: 1 }), rereader.end({ timeout: 1 })]);
  }
}

/**
 * Which decoded relations are the table's. A partitioned table's changes arrive under its partitions'
 * names unless the publication publishes them via the root (an admin's publication may well not), so a
 * relation is ours when it is the table or one of its partitions, asked of the source once per relation.
 */
class TableRelations {
  private readonly known = new Map<number, boolean>();
  constructor(
    private readonly sql: postgres.Sql,
    private readonly schema: string,
    private readonly table: string,
  ) {}

  has = (oid: number) => this.known.get(oid) === true;

  async learn(rel: MessageRelation): Promise<void> {
    if (this.known.has(rel.relationOid)) return;
    if (rel.schema === this.schema && rel.name === this.table) return void this.known.set(rel.relationOid, true);
    const [row] = await this.sql<{ ours: boolean | null }[]>`
      select pg_partition_root(c.oid) = (select t.oid from pg_class t join pg_namespace n on n.oid = t.relnamespace
                                          where n.nspname = ${this.schema} and t.relname = ${this.table}) as ours
        from pg_class c where c.oid = ${rel.relationOid}`;
    this.known.set(rel.relationOid, row?.ours === true);
  }
}

function addChange(pending: Map<string, Pending>, msg: MessageInsert | MessageUpdate | MessageDelete, opts: ChangeOpts) {
  // One value per key column, or null when the change does not carry them all.
  const keyOf = (tuple: Record<string, unknown> | null | undefined): KeyTuple | null => {
    const key = opts.primaryKey.map((k) => tuple?.[k]);
    return key.every((v) => typeof v === "string") ? (key as string[]) : null;
  };
  const put = (key: KeyTuple, p: Pending) => pending.set(JSON.stringify(key), p);
  if (msg.tag === "delete") {
    const key = keyOf(msg.key ?? msg.old);
    if (key === null) throw noKey(opts);
    put(key, { kind: "delete", key });
    return;
  }
  const tuple = msg.new;
  const key = keyOf(tuple);
  if (key === null) throw noKey(opts);
  if (msg.tag === "update") {
    // A changed primary key arrives as the old key: the old row goes, the new one comes.
    const old = keyOf(msg.key ?? msg.old);
    if (old !== null && JSON.stringify(old) !== JSON.stringify(key)) put(old, { kind: "delete", key: old });
  }
  // A change that lacks a value of one of the table's columns today is re-read from the source as the
  // row is now, never written with NULL there: pgoutput marks a TOASTed value the update left alone as
  // "unchanged" without a value, leaves out generated columns, and a change decoded from before a
  // column was added or renamed does not have it.
  let reread = false;
  const row = opts.columns.map((c) => {
    const v = tuple[c.name];
    if (v === undefined) reread = true;
    return (v ?? null) as string | null;
  });
  put(key, reread ? { kind: "reread", key } : { kind: "row", row });
}

/** Rows whose change lacked a value are read again from the source table, as they are now. */
async function toBatch(sql: postgres.Sql, opts: ChangeOpts, pending: Map<string, Pending>): Promise<Omit<Batch, "cursor">> {
  const rows: (string | null)[][] = [];
  const deletes: KeyTuple[] = [];
  const reread: KeyTuple[] = [];
  for (const p of pending.values()) {
    if (p.kind === "row") rows.push(p.row);
    else if (p.kind === "delete") deletes.push(p.key);
    else reread.push(p.key);
  }
  if (reread.length) {
    const from = `${quote(opts.schema)}.${quote(opts.table)}`;
    const key = new SourceKey(from, opts.primaryKey, opts.columns);
    const selectList = opts.columns.map((c) => `${quote(c.name)}::text`).join(", ");
    const current = (await sql
      .unsafe(`select ${selectList} from ${from} where ${key.among(1)}`, key.columnsOf(reread) as never[])
      .values()
      .catch((e: unknown) => Promise.reject(toReadError(e)))) as (string | null)[][];
    const found = new Set(current.map((r) => JSON.stringify(key.of(r))));
    rows.push(...current);
    // Gone since: the source no longer has the row, and neither should the warehouse.
    deletes.push(...reread.filter((k) => !found.has(JSON.stringify(k))));
  }
  return { rows, deletes };
}

const noKey = (opts: ChangeOpts) =>
  new FatalSourceError(
    "REPLICA_IDENTITY_MISMATCH",
    `A change in ${opts.schema}.${opts.table} carries no ${opts.primaryKey.join(", ")}: its replica identity must include the configured primary key.`,
  );

/** The slot vanished or was invalidated while we read it. */
function lostOr(e: unknown, slot: string): unknown {
  const err = e as { code?: string; message?: string };
  const msg = err.message ?? "";
  if (
    (err.code === "42704" && /replication slot/.test(msg)) ||
    (err.code === "55000" && /can no longer get changes|invalidated/.test(msg))
  ) {
    return new FatalSourceError(
      "REPLICATION_SLOT_LOST",
      `Replication slot ${slot} is gone (${msg}); run a resync to recreate it and copy the tables again.`,
    );
  }
  if (err.code === "42501") {
    return new FatalSourceError(
      "REPLICATION_PERMISSION_DENIED",
      `The source role may not read replication slot ${slot}: grant it with ALTER ROLE <role> WITH REPLICATION.`,
    );
  }
  if (err.code === "55006") return new TransientSourceError(`replication slot ${slot} is in use by another session`);
  return e;
}
