import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { quote, sourceConnection, toReadError } from "../postgres-common";
import { asTuple, SourceKey } from "../source-key";
import { type Batch, type Column } from "../types";
import type { CdcCursor } from "./cursor";
import { replicationCall } from "./slot";

type SnapshotOpts = {
  url: string;
  slot: string;
  schema: string;
  table: string;
  columns: Column[];
  primaryKey: string[];
  batchSize: number;
  /** `"only "` to leave out inheritance children, or `""` (partitions belong to the table). */
  only: string;
  /** Where an interrupted copy stopped (its `lsn` stays the table's position), or null for a fresh copy. */
  resume: CdcCursor | null;
  /** Told the table's position as soon as it is fixed (an empty table yields no batch to carry it). */
  onPosition: (lsn: string) => void;
};

/**
 * The initial copy, exactly consistent with the sync's slot: a temporary logical slot is created over a
 * replication connection and exports its snapshot; the table is read in that snapshot, and the
 * temporary slot's consistent point becomes the table's position. Every transaction that commits
 * before that point is in the snapshot, every later one is decoded by the sync's slot (which is
 * older, so it has them): nothing lost, nothing applied twice.
 *
 * A copy resumed after a crash takes a new snapshot for the rest of the keys but keeps the first
 * copy's position: changes between the two points are then applied again in order, and since each is
 * a whole-row upsert or a delete, every row ends as the source has it.
 */
export async function* snapshotBatches(opts: SnapshotOpts, signal: AbortSignal): AsyncIterable<Batch> {
  const repl = postgres(opts.url, {
    ...sourceConnection,
    fetch_types: false,
    connection: { ...sourceConnection.connection, replication: "database" } as Record<string, string>,
  });
  const reader = postgres(opts.url, sourceConnection);
  try {
    const tempSlot = `${opts.slot}_c${randomBytes(4).toString("hex")}`;
    const [created] = await replicationCall(repl, () =>
      repl.unsafe<{ consistent_point: string; snapshot_name: string }[]>(
        `CREATE_REPLICATION_SLOT ${tempSlot} TEMPORARY LOGICAL pgoutput EXPORT_SNAPSHOT`,
      ),
    );
    if (!/^[0-9A-F-]+$/i.test(created.snapshot_name)) throw new Error(`unexpected snapshot name ${created.snapshot_name}`);
    await reader.unsafe("begin isolation level repeatable read read only");
    await reader.unsafe(`set transaction snapshot '${created.snapshot_name}'`);
    // The snapshot now lives in our transaction; the temporary slot is no longer needed.
    await repl.end({ timeout: 1 });

    const from = `${quote(opts.schema)}.${quote(opts.table)}`;
    const read = `${opts.only}${from}`;
    const key = new SourceKey(from, opts.primaryKey, opts.columns);
    const selectList = opts.columns.map((c) => `${quote(c.name)}::text`).join(", ");
    let cursor: CdcCursor = opts.resume
      ? { ...opts.resume, txn: null }
      : { cdc: 1, lsn: created.consistent_point, snapshot: { pk: null }, emitted: 0 };
    opts.onPosition(cursor.lsn);
    while (!signal.aborted) {
      const after = asTuple(cursor.snapshot?.pk);
      const rows = (await reader
        .unsafe(
          `select ${selectList} from ${read} ${after === null ? "" : `where ${key.after(1)}`} order by ${key.list} limit ${opts.batchSize}`,
          after ?? [],
        )
        .values()
        .catch((e: unknown) => Promise.reject(toReadError(e)))) as (string | null)[][];
      if (!rows.length) break;
      const last = rows[rows.length - 1];
      cursor = { ...cursor, snapshot: { pk: key.of(last) }, emitted: cursor.emitted + rows.length };
      yield { rows, cursor };
      if (rows.length < opts.batchSize) break;
    }
    await reader.unsafe("commit");
  } finally {
    await Promise.allSettled([repl.end({ timeout: 1 }), reader.end({ timeout: 1 })]);
  }
}
