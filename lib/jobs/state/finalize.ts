import type postgres from "postgres";
import { config } from "@/lib/runtime/config";
import { notify } from "./notify";
import { ACTIVE_SQL, TERMINAL_SQL } from "./sql-lists";

type Tx = postgres.TransactionSql;

/**
 * running|canceling → completed|failed|canceled for the parent, once every table job is terminal:
 * status from the tables' outcomes, counters as the sums of the tables' counters. Lock order
 * everywhere is table rows first, then the parent row, so cancels, claims and batches never deadlock.
 * The parent is locked FOR NO KEY UPDATE, not FOR UPDATE: two tables failing at once each hold the
 * KEY SHARE lock their error record's foreign key takes, and FOR UPDATE would wait on the other's.
 */
export async function finalizeJobIfDone(tx: Tx, syncJobId: string): Promise<string | null> {
  const [parent] = await tx<{ status: string; sync_id: string; integration_id: string; run_type: string }[]>`
    select status, sync_id, integration_id, run_type from sync_jobs
     where id = ${syncJobId} and status not in (${tx.unsafe(TERMINAL_SQL)}) for no key update`;
  if (!parent) return null;

  const [agg] = await tx<{ active: number; failed: number; canceled: number; tables_synced: number; first_error: string | null }[]>`
    select count(*) filter (where status in (${tx.unsafe(ACTIVE_SQL)}))::int as active,
           count(*) filter (where status = 'failed')::int as failed,
           count(*) filter (where status = 'canceled')::int as canceled,
           count(*) filter (where status = 'completed' and (${parent.run_type} = 'resync' or num_extracted_records > 0))::int as tables_synced,
           (array_agg(error_message order by position) filter (where status = 'failed'))[1] as first_error
      from table_jobs where sync_job_id = ${syncJobId}`;
  if (agg.active > 0) return null;

  // A cancel that came too late (every table had landed, a resync's swap included) does not make
  // the job read "canceled": the tables say what happened, and the cancel's author is not kept.
  const status = agg.canceled > 0 ? "canceled" : agg.failed > 0 ? "failed" : "completed";
  await tx`
    update sync_jobs p set
      status = ${status},
      ended_at = clock_timestamp(), -- not the transaction's start: never before its last table's end
      purge_at = clock_timestamp() + make_interval(days => ${config.retentionDays()}),
      error_message = ${status === "failed" ? agg.first_error : null},
      canceled_by = case when ${status} = 'canceled' then p.canceled_by end,
      num_tables_synced = ${agg.tables_synced},
      num_extracted_records = t.extracted, num_loaded_records = t.loaded, num_errors = t.errors,
      num_inserted_records = t.inserted, num_updated_records = t.updated, num_deleted_records = t.deleted
    from (select coalesce(sum(num_extracted_records),0) extracted, coalesce(sum(num_loaded_records),0) loaded,
                 coalesce(sum(num_errors),0) errors, coalesce(sum(num_inserted_records),0) inserted,
                 coalesce(sum(num_updated_records),0) updated, coalesce(sum(num_deleted_records),0) deleted
            from table_jobs where sync_job_id = ${syncJobId}) t
    where p.id = ${syncJobId}`;
  await notify(tx, { syncJobId, syncId: parent.sync_id, integrationId: parent.integration_id, status, kind: "job" });
  return status;
}
