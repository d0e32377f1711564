import type postgres from "postgres";
import { config } from "@/lib/runtime/config";
import { log } from "@/lib/runtime/log";
import { destinationSchema } from "@/lib/syncs/config-schema";
import { createHash } from "node:crypto";
import {
  copyInto,
  createShadow,
  dropTable,
  ensureTable,
  qualified,
  shadowName,
  splitRejected,
  swapInShadow,
  upsertRows,
} from "./destination/postgres";
import { CHANNELS } from "./channels";
import { finalizeJobIfDone } from "./finalize";
import { type ClaimedTable, holdLease, type Lease, notify } from "./lease-sql";
import { sourceFor } from "./sources";
import { type Batch, type Column, FatalSourceError, TransientSourceError } from "./sources/types";

/** Why a running table stopped early. */
export type StopReason = "cancel" | "lease-lost" | "shutdown";

class LeaseLost extends Error {}
class CancelRequested extends Error {}

type Ctx = { sql: postgres.Sql; workerId: string; signal: AbortSignal; requeueAt: (ms: number) => void };

/** `_datasetId`: a stable id per sync table, so errors of the same table group across runs. */
const datasetId = (syncId: string, table: string) => createHash("sha1").update(`${syncId}:${table}`).digest("hex").slice(0, 24);

/** Runs one claimed table job to an end: completed, failed, canceled, requeued for retry, or abandoned (lease lost). */
export async function runTableJob(ctx: Ctx, claim: ClaimedTable): Promise<void> {
  const lease: Lease = { tableJobId: claim.id, workerId: ctx.workerId, attempt: claim.num_attempts };
  const dest = destinationSchema.parse(claim.destination);
  const resync = claim.run_type === "resync";
  const target = resync ? shadowName(claim.id) : claim.table_name;
  try {
    const [cp] = await ctx.sql<{ cursor: unknown }[]>`
      select cursor from checkpoints where sync_id = ${claim.sync_id} and table_name = ${claim.table_name}`;
    const plan = await sourceFor(claim.source).plan({
      syncId: claim.sync_id,
      tableName: claim.table_name,
      runType: claim.run_type,
      checkpoint: cp?.cursor ?? null,
      resumeFrom: claim.cursor,
      attempt: claim.num_attempts,
      batchSize: config.batchSize(),
      syncCheckpoints: async () => {
        const rows = await ctx.sql<{ table_name: string; cursor: unknown }[]>`
          select table_name, cursor from checkpoints where sync_id = ${claim.sync_id}`;
        return new Map(rows.map((r) => [r.table_name, r.cursor]));
      },
    });
    if (resync) await createShadow(ctx.sql, dest.schema, target, plan.columns, plan.primaryKey);
    else await ensureTable(ctx.sql, dest.schema, target, plan.columns, plan.primaryKey);
    await ctx.sql`update table_jobs set progress_total = ${plan.total} where id = ${claim.id} and worker_id = ${ctx.workerId}`;

    let last: unknown = claim.cursor;
    for await (const batch of plan.batches(ctx.signal)) {
      await commitBatch(ctx, claim, lease, dest.schema, target, plan.columns, plan.primaryKey, batch);
      last = batch.cursor;
      if (ctx.signal.aborted) break;
    }
    if (ctx.signal.aborted) throw ctx.signal.reason === "cancel" ? new CancelRequested() : new LeaseLost();
    await completeTable(ctx, claim, lease, dest.schema, target, plan.finalCursor(last));
  } catch (e) {
    await settleFailure(ctx, claim, lease, dest.schema, target, e);
  }
}

async function commitBatch(
  ctx: Ctx,
  claim: ClaimedTable,
  lease: Lease,
  schema: string,
  target: string,
  columns: Column[],
  primaryKey: string,
  batch: Batch,
) {
  const { accepted, rejected } = splitRejected(batch.rows, columns);
  await ctx.sql.begin(async (tx) => {
    await assertHeld(tx, lease);
    let inserted = accepted.length;
    let updated = 0;
    if (claim.run_type === "resync") await copyInto(tx, qualified(schema, target), columns, accepted);
    else ({ inserted, updated } = await upsertRows(tx, schema, target, columns, primaryKey, accepted));
    if (rejected.length) {
      const pk = columns.findIndex((c) => c.name === primaryKey);
      await tx`insert into sync_errors ${tx(
        rejected.map(({ row, column }) => ({
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
          record_key: String(row[pk]),
        })),
      )}`;
    }
    const n = batch.rows.length;
    await tx`
      update table_jobs set cursor = ${tx.json(batch.cursor as postgres.JSONValue)}, stage = 'loading',
             num_extracted_records = num_extracted_records + ${n}, num_loaded_records = num_loaded_records + ${accepted.length},
             num_errors = num_errors + ${rejected.length}, num_inserted_records = num_inserted_records + ${inserted},
             num_updated_records = num_updated_records + ${updated}
       where id = ${claim.id}`;
    if (claim.run_type === "normal") await saveCheckpoint(tx, claim, batch.cursor);
    // The parent row last: its lock is then held only for the instant before commit.
    await tx`
      update sync_jobs set num_extracted_records = num_extracted_records + ${n}, num_loaded_records = num_loaded_records + ${accepted.length},
             num_errors = num_errors + ${rejected.length}, num_inserted_records = num_inserted_records + ${inserted},
             num_updated_records = num_updated_records + ${updated}
       where id = ${claim.sync_job_id}`;
    await notify(tx, { syncJobId: claim.sync_job_id, syncId: claim.sync_id, integrationId: claim.integration_id, tableJobId: claim.id, kind: "progress" });
  });
}

async function saveCheckpoint(tx: postgres.TransactionSql, claim: ClaimedTable, cursor: unknown) {
  await tx`
    insert into checkpoints (sync_id, table_name, cursor, sync_job_id, updated_at)
    values (${claim.sync_id}, ${claim.table_name}, ${tx.json(cursor as postgres.JSONValue)}, ${claim.sync_job_id}, now())
    on conflict (sync_id, table_name) do update set cursor = excluded.cursor, sync_job_id = excluded.sync_job_id, updated_at = now()`;
}

async function assertHeld(tx: postgres.TransactionSql, lease: Lease) {
  const state = await holdLease(tx, lease);
  if (state === "lost") throw new LeaseLost();
  if (state === "canceling") throw new CancelRequested();
}

async function completeTable(ctx: Ctx, claim: ClaimedTable, lease: Lease, schema: string, target: string, finalCursor: unknown) {
  if (claim.run_type === "resync") {
    await ctx.sql`update table_jobs set stage = 'swapping' where id = ${claim.id} and worker_id = ${ctx.workerId}`;
  }
  await ctx.sql.begin(async (tx) => {
    await assertHeld(tx, lease);
    if (claim.run_type === "resync") await swapInShadow(tx, schema, claim.table_name, target);
    await saveCheckpoint(tx, claim, finalCursor);
    await tx`
      update table_jobs set status = 'completed', stage = null, ended_at = now(), cursor = ${tx.json(finalCursor as postgres.JSONValue)},
             lease_expires_at = null, error_code = null, error_message = null
       where id = ${claim.id}`;
    await settleTable(tx, claim, "completed");
  });
}

async function settleTable(tx: postgres.TransactionSql, claim: ClaimedTable, status: string) {
  await notify(tx, { syncJobId: claim.sync_job_id, syncId: claim.sync_id, integrationId: claim.integration_id, tableJobId: claim.id, status, kind: "table" });
  await finalizeJobIfDone(tx, claim.sync_job_id);
}

async function settleFailure(ctx: Ctx, claim: ClaimedTable, lease: Lease, schema: string, target: string, e: unknown) {
  const reason = ctx.signal.aborted ? (ctx.signal.reason as StopReason) : null;
  if (reason === "shutdown") return releaseForShutdown(ctx, claim, lease);
  // Lease lost: another worker owns the table now and resumes it from the committed cursor.
  if (e instanceof LeaseLost || reason === "lease-lost") return;
  const resync = claim.run_type === "resync";
  const cancel = async (tx: postgres.TransactionSql) => {
    if (resync) await dropTable(tx, schema, target);
    await tx`update table_jobs set status = 'canceled', stage = null, ended_at = now(), lease_expires_at = null where id = ${claim.id}`;
    await settleTable(tx, claim, "canceled");
  };
  try {
    if (e instanceof CancelRequested || reason === "cancel") {
      await ctx.sql.begin(async (tx) => {
        if ((await holdLease(tx, lease)) !== "lost") await cancel(tx);
      });
      return;
    }
    const message = e instanceof Error ? e.message : String(e);
    if (!(e instanceof FatalSourceError) && claim.num_attempts < config.maxAttempts()) {
      const backoff = Math.min(config.retryBaseMs() * 2 ** (claim.num_attempts - 1), 30_000);
      if (!(e instanceof TransientSourceError)) log.warn("table attempt failed; retrying", { tableJobId: claim.id, attempt: claim.num_attempts, err: message });
      await ctx.sql.begin(async (tx) => {
        const state = await holdLease(tx, lease);
        if (state === "canceling") return cancel(tx);
        if (state === "lost") return;
        await tx`
          update table_jobs set status = 'queued', stage = null, worker_id = null, lease_expires_at = null,
                 run_after = now() + make_interval(secs => ${backoff}::float8 / 1000), error_message = ${message}
           where id = ${claim.id}`;
      });
      ctx.requeueAt(backoff);
      return;
    }
    const code = e instanceof FatalSourceError ? e.code : e instanceof TransientSourceError ? e.code : "LOAD_FAILED";
    const scope = e instanceof FatalSourceError || e instanceof TransientSourceError ? "extract" : "load";
    if (scope === "load") log.error("table failed while loading", { tableJobId: claim.id, err: message });
    await ctx.sql.begin(async (tx) => {
      const state = await holdLease(tx, lease);
      if (state === "canceling") return cancel(tx);
      if (state === "lost") return;
      if (resync) await dropTable(tx, schema, target);
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
      await tx`update sync_jobs set num_errors = num_errors + 1 where id = ${claim.sync_job_id}`;
      await settleTable(tx, claim, "failed");
    });
  } catch (err) {
    // Leave the table to lease expiry: another worker picks it up and settles it.
    log.error("could not settle table job", { tableJobId: claim.id, err: String(err) });
  }
}

/** A graceful stop hands the table back at once instead of waiting for the lease to expire. */
async function releaseForShutdown(ctx: Ctx, claim: ClaimedTable, lease: Lease) {
  await ctx.sql
    .begin(async (tx) => {
      if ((await holdLease(tx, lease)) !== "held") return;
      await tx`
        update table_jobs set status = 'queued', stage = null, worker_id = null, lease_expires_at = null, run_after = now(),
               num_attempts = num_attempts - 1
         where id = ${claim.id}`;
      await tx`select pg_notify(${CHANNELS.work}, ${claim.sync_job_id})`;
    })
    .catch((err) => log.warn("could not release table on shutdown", { tableJobId: claim.id, err: String(err) }));
}
