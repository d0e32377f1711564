import postgres from "postgres";
import type { PostgresSource } from "@/lib/contracts/sync-config";
import { keyColumns } from "@/lib/contracts/sync-config";
import { describe, quote, sourceConnection, toSourceError } from "../postgres-common";
import { SourceKey } from "../source-key";
import { type ExtractPlan, type ExtractRequest, FatalSourceError, type Source } from "../types";
import { changeBatches } from "./changes";
import { type CdcCursor, cursorLsn, isCdcCursor } from "./cursor";
import { formatLsn, type Lsn, parseLsn } from "./lsn";
import { publicationName, slotName } from "./names";
import { snapshotBatches } from "./snapshot";
import {
  assertLogicalWal,
  assertReplicaIdentity,
  createSlot,
  dropSlot,
  ensurePublication,
  inspectSlot,
  type SlotInfo,
  withSlotLock,
} from "./slot";

/**
 * A `postgres` source with `replication: "logical"`: the first run (and a resync) copies a snapshot
 * consistent with the sync's logical replication slot; every normal run then applies the inserts,
 * updates and deletes decoded from the slot since the table's checkpoint. The slot's confirmed position
 * only moves (in `onCompleted`) to the slowest table's committed checkpoint, so a change stays in the
 * slot until every table of the sync has it in the warehouse.
 */
export class PostgresCdcSource implements Source {
  constructor(private readonly config: PostgresSource) {}

  async plan(req: ExtractRequest): Promise<ExtractPlan> {
    const table = this.config.tables.find((t) => t.name === req.tableName);
    if (!table) throw new FatalSourceError("TABLE_NOT_FOUND", `The source has no table ${req.tableName}`);
    const schema = this.config.schema ?? "public";
    const { url } = this.config;
    const slot = slotName(req.syncId);
    const publication = publicationName(req.syncId);
    const sql = postgres(url, sourceConnection);
    try {
      await assertLogicalWal(sql);
      const columns = await describe(sql, schema, table.name);
      const primaryKey = keyColumns(table.primaryKey);
      SourceKey.check(primaryKey, columns, `${schema}.${table.name}`);
      await assertReplicaIdentity(sql, schema, table.name, primaryKey);
      // A checkpoint from before replication was switched on is not a slot position: copy again.
      const resumed = isCdcCursor(req.resumeFrom) ? req.resumeFrom : null;
      const stored = req.runType === "normal" && isCdcCursor(req.checkpoint) ? { ...req.checkpoint, emitted: 0 } : null;
      const from: CdcCursor | null = resumed ?? stored;
      const { rel, partitioned } = await relationOf(sql, schema, table.name);
      if (from?.rel !== undefined && from.rel !== rel) {
        throw new FatalSourceError(
          "SOURCE_TABLE_RECREATED",
          `Table ${schema}.${table.name} was dropped and created again since the last run, so the rows it held then, and changes made before it was published again, were not captured. Run a resync to copy it again.`,
        );
      }

      await withSlotLock(url, slot, async (lock) => {
        await ensurePublication(lock, publication, schema, table.name);
        const info = await inspectSlot(lock, slot);
        if (from) return assertServes(info, from, slot);
        // A fresh copy (first run, resync) is where a lost slot is replaced.
        if (info?.lost) await dropSlot(lock, slot);
        if (!info || info.lost) await createSlot(lock, slot);
      });

      const base = {
        columns,
        primaryKey,
        alreadyExtracted: resumed?.emitted ?? 0,
        onCompleted: () => this.advanceSlot(req, slot),
      };
      // Inheritance children are tables of their own, published (and so captured) only when listed:
      // the first copy must not take their rows either. Partitions are the table's (ONLY would read none).
      const only = partitioned ? "" : "only ";
      const target = { url, slot, schema, table: table.name, columns, primaryKey, batchSize: req.batchSize, only };

      if (!from || from.snapshot) {
        const [{ n }] = await sql.unsafe<{ n: string }[]>(`select count(*)::text as n from ${only}${quoteTable(schema, table.name)}`);
        let position: string | undefined = from?.lsn;
        return stamped(rel, {
          ...base,
          total: Number(n),
          batches: (signal) => snapshotBatches({ ...target, resume: from, onPosition: (lsn) => (position = lsn) }, signal),
          finalCursor: (last) => ({ cdc: 1, lsn: position ?? (last as CdcCursor).lsn, snapshot: null, emitted: 0 }) satisfies CdcCursor,
        });
      }

      const upTo = await flushedEnd(sql);
      let end: CdcCursor | undefined;
      return stamped(rel, {
        ...base,
        incremental: true,
        total: null,
        batches: (signal) =>
          changeBatches(
            {
              ...target,
              publication,
              from,
              upTo,
              assertServes: async (lock) => assertServes(await inspectSlot(lock, slot), from, slot),
              onEnd: (c) => (end = c),
            },
            signal,
          ),
        finalCursor: (last) => end ?? { ...(last as CdcCursor), emitted: 0 },
      });
    } catch (e) {
      throw toSourceError(e);
    } finally {
      await sql.end({ timeout: 1 });
    }
  }

  /**
   * Moves the slot's confirmed position to the lowest checkpoint of the sync's tables, never further:
   * a table without a checkpoint yet (its first copy is running) holds it where it is.
   */
  private async advanceSlot(req: ExtractRequest, slot: string): Promise<void> {
    const checkpoints = await req.syncCheckpoints();
    let min: Lsn | null = null;
    for (const t of this.config.tables) {
      const c = checkpoints.get(t.name);
      if (!isCdcCursor(c)) return;
      const lsn = cursorLsn(c);
      if (min === null || lsn < min) min = lsn;
    }
    if (min === null) return;
    const to = min;
    await withSlotLock(this.config.url, slot, async (lock) => {
      const info = await inspectSlot(lock, slot);
      if (!info || info.lost || info.confirmed === null || to <= info.confirmed) return;
      await lock`select pg_replication_slot_advance(${slot}, ${formatLsn(to)}::pg_lsn)`;
    });
  }
}

/** The table's identity at the source: a table dropped and created again under its name gets another. */
async function relationOf(sql: postgres.Sql, schema: string, table: string): Promise<{ rel: number; partitioned: boolean }> {
  const [row] = await sql<{ oid: number; kind: string }[]>`
    select c.oid::int as oid, c.relkind as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = ${schema} and c.relname = ${table}`;
  return { rel: row.oid, partitioned: row.kind === "p" };
}

/** Every cursor of the plan carries the table's identity, so the next run can tell it is still the same table. */
function stamped(rel: number, plan: ExtractPlan): ExtractPlan {
  const stamp = (c: unknown) => ({ ...(c as CdcCursor), rel });
  return {
    ...plan,
    batches: async function* (signal) {
      for await (const batch of plan.batches(signal)) yield { ...batch, cursor: stamp(batch.cursor) };
    },
    finalCursor: (last) => stamp(plan.finalCursor(last)),
  };
}

const quoteTable = (schema: string, table: string) => `${quote(schema)}.${quote(table)}`;

/**
 * Where this run's reading stops: the WAL written so far, once it is flushed. Decoding reads only
 * flushed WAL, so claiming a position past the flush could skip transactions; with asynchronous commit
 * the WAL writer flushes within a fraction of a second, so wait for it briefly.
 */
async function flushedEnd(sql: postgres.Sql): Promise<Lsn> {
  const [{ inserted }] = await sql<{ inserted: string }[]>`select pg_current_wal_insert_lsn()::text as inserted`;
  const target = parseLsn(inserted);
  const deadline = Date.now() + 1500;
  for (;;) {
    const [{ flushed }] = await sql<{ flushed: string }[]>`select pg_current_wal_flush_lsn()::text as flushed`;
    const at = parseLsn(flushed);
    if (at >= target || Date.now() > deadline) return at < target ? at : target;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The slot must still hold every change after the table's position. It cannot once it is gone or
 * invalidated, or once its confirmed position is past ours: the sync never moves it beyond the slowest
 * table, so that means the slot was recreated (a resync of another table after a loss) or moved by
 * someone else, and the changes in between are lost for this table.
 */
function assertServes(info: SlotInfo | null, from: CdcCursor, slot: string): void {
  const lost = (why: string) =>
    new FatalSourceError("REPLICATION_SLOT_LOST", `Replication slot ${slot} ${why}; run a resync to recreate it and copy the table again.`);
  if (!info) throw lost("no longer exists");
  if (info.lost) throw lost(`was invalidated by the source server (wal_status ${info.walStatus ?? "unknown"})`);
  if (info.confirmed !== null && info.confirmed > cursorLsn(from)) {
    throw lost(`has moved past this table's position (${from.lsn} < ${formatLsn(info.confirmed)}), so changes in between are gone`);
  }
}
