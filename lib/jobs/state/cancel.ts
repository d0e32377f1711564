import type postgres from "postgres";
import { CHANNELS } from "./channels";
import { finalizeJobIfDone } from "./finalize";
import { notify } from "./notify";
import { ACTIVE_SQL } from "./sql-lists";
import { openConfig } from "@/lib/secrets";

/**
 * What a cancel request did: `requested` (the first one: its tables stop), `already` (a cancel
 * was in progress), `ended` (nothing left to stop: every table had ended, so the job completes or
 * fails as its tables did, whatever this request said).
 */
export type CancelOutcome = "requested" | "already" | "ended";

/**
 * queued → canceled and running → canceling for a job's tables, and the parent → canceling.
 * Queued tables are canceled at once; the worker of a running one, woken by NOTIFY, stops within
 * about a second and marks it canceled. Lock order: table rows first, then the parent.
 */
export async function requestCancel(tx: postgres.TransactionSql, syncJobId: string, canceledBy: string): Promise<CancelOutcome> {
  const stopped = await tx`
    update table_jobs set
      status = case status when 'queued' then 'canceled' else 'canceling' end,
      ended_at = case status when 'queued' then now() else ended_at end
    where sync_job_id = ${syncJobId} and status in ('queued','running')
    returning 1`;
  if (!stopped.length) {
    const [{ stopping }] = await tx<{ stopping: number }[]>`
      select count(*)::int as stopping from table_jobs where sync_job_id = ${syncJobId} and status = 'canceling'`;
    if (!stopping) return "ended";
  }
  // Only the first request names who canceled (and is the one the audit log records).
  const first = await tx`
    update sync_jobs set canceled_by = ${canceledBy}
    where id = ${syncJobId} and status in (${tx.unsafe(ACTIVE_SQL)}) and canceled_by is null
    returning 1`;
  const [parent] = await tx<{ sync_id: string; integration_id: string }[]>`
    update sync_jobs set status = 'canceling'
    where id = ${syncJobId} and status in (${tx.unsafe(ACTIVE_SQL)})
    returning sync_id, integration_id`;
  if (!parent) return "ended";
  await tx`select pg_notify(${CHANNELS.cancel}, ${syncJobId})`;
  await notify(tx, { syncJobId, syncId: parent.sync_id, integrationId: parent.integration_id, status: "canceling", kind: "job" });
  // With nothing running the job is settled right here; otherwise its worker settles it.
  await finalizeJobIfDone(tx, syncJobId);
  return first.length ? "requested" : "already";
}

/** A table job the reaper canceled: a resync's leaves a shadow table in its destination for the engine to drop. */
export type ReapedTable = { id: string; syncJobId: string; runType: string; destination: unknown };

/**
 * canceling → canceled for tables whose worker died: nobody else will finish the cancel. A reaped
 * resync staged nothing that stays (its shadow is dropped), so it counts nothing as loaded.
 */
export async function reapAbandonedCancels(sql: postgres.Sql): Promise<ReapedTable[]> {
  const rows = await sql<{ id: string; sync_job_id: string; run_type: string; destination: unknown }[]>`
    update table_jobs t set status = 'canceled', ended_at = now(), stage = null, worker_id = null,
           num_loaded_records = case when p.run_type = 'resync' then 0 else t.num_loaded_records end,
           num_inserted_records = case when p.run_type = 'resync' then 0 else t.num_inserted_records end,
           num_updated_records = case when p.run_type = 'resync' then 0 else t.num_updated_records end,
           num_deleted_records = case when p.run_type = 'resync' then 0 else t.num_deleted_records end
      from sync_jobs p, syncs s
     where t.status = 'canceling' and t.lease_expires_at < now() and p.id = t.sync_job_id and s.id = t.sync_id
    returning t.id, t.sync_job_id, p.run_type, s.destination`;
  for (const id of new Set(rows.map((r) => r.sync_job_id))) await sql.begin((tx) => finalizeJobIfDone(tx, id));
  return rows.map((r) => ({ id: r.id, syncJobId: r.sync_job_id, runType: r.run_type, destination: openConfig(r.destination) }));
}
