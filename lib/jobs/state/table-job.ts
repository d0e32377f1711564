import { createHash } from "node:crypto";
import type postgres from "postgres";
import { finalizeJobIfDone } from "./finalize";
import type { ClaimedTable, Lease } from "./lease";
import { holdLease } from "./lease";
import { CHANNELS } from "./channels";
import { notify, notifyWork } from "./notify";
import { config } from "@/lib/runtime/config";

/**
 * Every state change of a table job after its claim, in one place: a batch accounted for,
 * completed, failed, requeued for a retry, canceled, released on shutdown. Each runs inside the
 * caller's transaction after `holdLease` said the worker still holds the table.
 */
type Tx = postgres.TransactionSql;
/** A transaction of our own making on a reserved connection (lib/engine/warehouse/pipelined.ts) counts as one too. */
type InTx = Tx | postgres.ReservedSql;
type Json = postgres.JSONValue;

/** A record the warehouse refused, kept with the batch in the warehouse until the control plane has it. */
export type RejectedRecord = { key: string; column: string };

/** What the warehouse says has landed for one table job (lib/engine/warehouse/state.ts). */
export type LandedState = {
  batches: number;
  cursor: unknown;
  extracted: number;
  loaded: number;
  inserted: number;
  updated: number;
  deleted: number;
  errors: number;
};

/** `_datasetId`: a stable id per sync table, so errors of the same table group across runs. */
export const datasetId = (syncId: string, table: string) => createHash("sha1").update(`${syncId}:${table}`).digest("hex").slice(0, 24);

const event = (claim: ClaimedTable, kind: "table" | "progress", status?: string) => ({
  syncJobId: claim.sync_job_id,
  syncId: claim.sync_id,
  integrationId: claim.integration_id,
  tableJobId: claim.id,
  ...(status ? { status } : {}),
  kind,
});

async function saveCheckpoint(tx: InTx, claim: ClaimedTable, cursor: unknown) {
  // .execute(): sent at once, in order (recordBatch's statements are pipelined with the COMMIT)
  await tx`
    insert into checkpoints (sync_id, table_name, cursor, sync_job_id, updated_at)
    values (${claim.sync_id}, ${claim.table_name}, ${tx.json(cursor as Json)}, ${claim.sync_job_id}, now())
    on conflict (sync_id, table_name) do update set cursor = excluded.cursor, sync_job_id = excluded.sync_job_id, updated_at = now()`.execute();
}

/** One error record per refused record, under the table job and its parent. */
const errorRows = (claim: ClaimedTable, rejected: RejectedRecord[]) =>
  rejected.map(({ key, column }) => ({
    parent_job_id: claim.sync_job_id,
    child_job_id: claim.id,
    sync_id: claim.sync_id,
    flow_execution_group_id: claim.flow_execution_group_id,
    dataset_id: datasetId(claim.sync_id, claim.table_name),
    dataset_name: claim.table_name,
    table_name: claim.table_name,
    scope: "load",
    stage: "load",
    source: "destination",
    code: "NOT_NULL_VIOLATION",
    message: `Record rejected by the warehouse: column "${column}" of table "${claim.table_name}" cannot be null`,
    record_key: key,
  }));

/**
 * Each batch renews its own lease: the heartbeat passes over a row a batch holds locked (its
 * renewal would otherwise queue behind that batch while holding the other tables' rows, and their
 * batches behind it), so a table loading batch after batch keeps its lease this way.
 */
const renewedLease = (tx: Tx | InTx) => tx`lease_expires_at = now() + make_interval(secs => ${config.leaseMs()}::float8 / 1000)`;

/**
 * Takes the warehouse's account of what landed as the truth: counters and cursor are set (not
 * added), and the records refused by the batches not yet accounted for are recorded once — also
 * when a crash left the control plane behind the warehouse and another worker is catching up.
 * `rejectedBetween(a, b)` reads the refused records of batches a+1..b from the warehouse; when the
 * control plane is exactly one batch behind, `lastBatch` (that batch's refused records, still in
 * the caller's memory) saves the read. The writes go out pipelined, in one round trip.
 */
export async function recordLanded(
  tx: Tx,
  claim: ClaimedTable,
  landed: LandedState,
  rejectedBetween: (after: number, upTo: number) => Promise<RejectedRecord[]>,
  lastBatch?: RejectedRecord[],
): Promise<void> {
  const [before] = await tx<
    { batches: number; errors: number }[]
  >`select batches, num_errors as errors from table_jobs where id = ${claim.id}`;
  if (!before || landed.batches <= before.batches) return;
  const rejected =
    landed.errors <= before.errors
      ? []
      : lastBatch && before.batches === landed.batches - 1
        ? lastBatch
        : await rejectedBetween(before.batches, landed.batches);
  await Promise.all([
    rejected.length ? tx`insert into sync_errors ${tx(errorRows(claim, rejected))}` : null,
    tx`
      update table_jobs set cursor = ${tx.json(landed.cursor as Json)}, batches = ${landed.batches}, stage = 'loading',
             num_extracted_records = ${landed.extracted}, num_loaded_records = ${landed.loaded}, num_errors = ${landed.errors},
             num_inserted_records = ${landed.inserted}, num_updated_records = ${landed.updated}, num_deleted_records = ${landed.deleted},
             ${renewedLease(tx)}
       where id = ${claim.id}`,
    claim.run_type === "normal" ? saveCheckpoint(tx, claim, landed.cursor) : null,
    // The parent's row is not touched: tables of one job never wait on one another's lock. While the
    // job runs, readers sum its tables (lib/jobs/present.ts); finalizeJobIfDone stores the sums.
    notify(tx, event(claim, "progress")),
  ]);
}

/**
 * One batch's account, in the transaction that landed its rows — when the warehouse is the control
 * plane's own database, rows, counters, error records and checkpoint commit together. `landed` is
 * the table's account after the batch. The counter update is the lease check: it matches only the
 * holder's attempt of a running (or canceling) table, and "lost" means the caller must roll back.
 * The statements go out pipelined, in one round trip; any failure aborts the whole transaction.
 */
export async function recordBatch(
  tx: InTx,
  lease: Lease,
  claim: ClaimedTable,
  landed: LandedState,
  rejected: RejectedRecord[],
): Promise<"held" | "canceling" | "lost"> {
  const [held] = await Promise.all([
    tx<{ status: string }[]>`
      update table_jobs set cursor = ${tx.json(landed.cursor as Json)}, batches = ${landed.batches}, stage = 'loading',
             num_extracted_records = ${landed.extracted}, num_loaded_records = ${landed.loaded}, num_errors = ${landed.errors},
             num_inserted_records = ${landed.inserted}, num_updated_records = ${landed.updated}, num_deleted_records = ${landed.deleted},
             ${renewedLease(tx)}
       where id = ${lease.tableJobId} and worker_id = ${lease.workerId} and num_attempts = ${lease.attempt}
         and status in ('running', 'canceling')
      returning status`.execute(),
    rejected.length ? tx`insert into sync_errors ${tx(errorRows(claim, rejected))}`.execute() : null,
    claim.run_type === "normal" ? saveCheckpoint(tx, claim, landed.cursor) : null,
  ]);
  const status = held[0]?.status;
  return status === "running" ? "held" : status === "canceling" ? "canceling" : "lost";
}

/** The control plane's account of a table job: what its committed batches landed (own-database warehouses). */
export async function landedOf(sql: postgres.Sql | Tx, tableJobId: string): Promise<LandedState> {
  const [r] = await sql<
    {
      batches: number;
      cursor: unknown;
      extracted: string;
      loaded: string;
      inserted: string;
      updated: string;
      deleted: string;
      errors: string;
    }[]
  >`
    select batches, cursor, num_extracted_records::text as extracted, num_loaded_records::text as loaded, num_inserted_records::text as inserted,
           num_updated_records::text as updated, num_deleted_records::text as deleted, num_errors::text as errors
      from table_jobs where id = ${tableJobId}`;
  return {
    batches: r.batches,
    cursor: r.cursor,
    extracted: Number(r.extracted),
    loaded: Number(r.loaded),
    inserted: Number(r.inserted),
    updated: Number(r.updated),
    deleted: Number(r.deleted),
    errors: Number(r.errors),
  };
}

/**
 * Tells live views a table moved on, after its batch committed, in a statement of its own that
 * does not wait for the WAL flush: a NOTIFY holds a database-wide lock until its transaction ends,
 * and inside the batch's transaction every table's commit would queue behind every other's flush.
 */
export async function notifyProgress(sql: postgres.Sql, claim: ClaimedTable) {
  await sql`select set_config('synchronous_commit', 'off', true), pg_notify(${CHANNELS.events}, ${JSON.stringify(event(claim, "progress"))})`;
}

/** Writes that are not transitions but still need the lease: stage, progress total, schema changes. */
export async function updateRunningTable(
  sql: postgres.Sql,
  lease: Lease,
  patch: { stage?: "extracting" | "loading" | "swapping"; progressTotal?: number | null; schemaChanges?: unknown[] },
) {
  const { stage, progressTotal, schemaChanges } = patch;
  await sql`
    update table_jobs set
      stage = coalesce(${stage ?? null}, stage),
      progress_total = ${progressTotal === undefined ? sql`progress_total` : progressTotal},
      schema_changes = ${schemaChanges === undefined ? sql`schema_changes` : sql.json(schemaChanges as Json)}
     where id = ${lease.tableJobId} and worker_id = ${lease.workerId} and num_attempts = ${lease.attempt}`;
}

/**
 * running → completed. The final cursor becomes the sync's checkpoint for this table. Ended when
 * this runs (clock_timestamp), not when its transaction began (now()): on the own database a
 * resync's swap runs in the same transaction, before this.
 */
export async function completeTable(tx: Tx, claim: ClaimedTable, finalCursor: unknown) {
  await saveCheckpoint(tx, claim, finalCursor);
  await tx`
    update table_jobs set status = 'completed', stage = null, ended_at = clock_timestamp(), cursor = ${tx.json(finalCursor as Json)},
           lease_expires_at = null, error_code = null, error_message = null
     where id = ${claim.id}`;
  await settle(tx, claim, "completed");
}

/** running → failed, with one error record carrying the code and message verbatim. */
export async function failTable(tx: Tx, claim: ClaimedTable, failure: { code: string; message: string; scope: "extract" | "load" }) {
  const { code, message, scope } = failure;
  await tx`
    insert into sync_errors (parent_job_id, child_job_id, sync_id, flow_execution_group_id, dataset_id, dataset_name,
                             table_name, scope, stage, source, code, message)
    values (${claim.sync_job_id}, ${claim.id}, ${claim.sync_id}, ${claim.flow_execution_group_id},
            ${datasetId(claim.sync_id, claim.table_name)}, ${claim.table_name}, ${claim.table_name}, ${scope}, ${scope},
            ${scope === "extract" ? "source" : "destination"}, ${code}, ${message})`;
  await tx`
    update table_jobs set status = 'failed', stage = null, ended_at = now(), lease_expires_at = null,
           error_code = ${code}, error_message = ${message}, num_errors = num_errors + 1
     where id = ${claim.id}`;
  await discardStaged(tx, claim);
  await settle(tx, claim, "failed"); // the parent's counters become its tables' sums there
}

/** running → queued after a retryable failure: claimable again once the backoff has passed. */
export async function requeueTable(tx: Tx, claim: ClaimedTable, backoffMs: number, message: string) {
  await tx`
    update table_jobs set status = 'queued', stage = null, worker_id = null, lease_expires_at = null,
           run_after = now() + make_interval(secs => ${backoffMs}::float8 / 1000), error_message = ${message}
     where id = ${claim.id}`;
}

/** running|canceling → canceled. */
export async function cancelTable(tx: Tx, claim: ClaimedTable) {
  await tx`update table_jobs set status = 'canceled', stage = null, ended_at = now(), lease_expires_at = null where id = ${claim.id}`;
  await discardStaged(tx, claim);
  await settle(tx, claim, "canceled");
}

/** running → queued on a graceful stop: handed back at once, and the attempt it used is not counted. */
export async function releaseTable(tx: Tx, claim: ClaimedTable) {
  await tx`
    update table_jobs set status = 'queued', stage = null, worker_id = null, lease_expires_at = null, run_after = now(),
           num_attempts = num_attempts - 1
     where id = ${claim.id}`;
  await notifyWork(tx, claim.sync_job_id);
}

/**
 * A resync that ends without its swap drops the shadow it loaded into: the warehouse kept none of
 * those rows, so none counts as loaded (the rows read still count as extracted).
 */
async function discardStaged(tx: Tx, claim: ClaimedTable) {
  if (claim.run_type !== "resync") return;
  await tx`
    update table_jobs set num_loaded_records = 0, num_inserted_records = 0, num_updated_records = 0, num_deleted_records = 0
     where id = ${claim.id}`;
}

async function settle(tx: Tx, claim: ClaimedTable, status: string) {
  await notify(tx, event(claim, "table", status));
  await finalizeJobIfDone(tx, claim.sync_job_id);
}

/** Runs `fn` only while the lease is held; says what it found. A canceling table may still be settled by `onCanceling`. */
export async function whileHeld<T>(
  sql: postgres.Sql,
  lease: Lease,
  fn: (tx: Tx) => Promise<T>,
  onCanceling?: (tx: Tx) => Promise<void>,
  opts: { asyncCommit?: boolean } = {},
): Promise<"held" | "canceling" | "lost"> {
  return (await sql.begin(async (tx) => {
    // asyncCommit: the commit does not wait for the WAL flush (sent along with the lease check).
    const [state] = await Promise.all([holdLease(tx, lease), opts.asyncCommit ? tx`set local synchronous_commit = off` : null]);
    if (state === "held") await fn(tx);
    else if (state === "canceling" && onCanceling) await onCanceling(tx);
    return state;
  })) as "held" | "canceling" | "lost";
}
