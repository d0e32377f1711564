import type postgres from "postgres";
import { CHANNELS } from "./channels";
import { finalizeJobIfDone } from "./finalize";
import { notify } from "./notify";
import { ACTIVE_SQL } from "./sql-lists";

/**
 * queued → canceled and running → canceling for a job's tables, and the parent → canceling.
 * Queued tables are canceled at once; the worker of a running one, woken by NOTIFY, stops within
 * about a second and marks it canceled. Lock order: table rows first, then the parent.
 */
export async function requestCancel(tx: postgres.TransactionSql, syncJobId: string, canceledBy: string): Promise<void> {
  await tx`
    update table_jobs set
      status = case status when 'queued' then 'canceled' else 'canceling' end,
      ended_at = case status when 'queued' then now() else ended_at end
    where sync_job_id = ${syncJobId} and status in ('queued','running')`;
  const [parent] = await tx<{ sync_id: string; integration_id: string }[]>`
    update sync_jobs set status = 'canceling', canceled_by = coalesce(canceled_by, ${canceledBy})
    where id = ${syncJobId} and status in (${tx.unsafe(ACTIVE_SQL)})
    returning sync_id, integration_id`;
  if (!parent) return;
  await tx`select pg_notify(${CHANNELS.cancel}, ${syncJobId})`;
  await notify(tx, { syncJobId, syncId: parent.sync_id, integrationId: parent.integration_id, status: "canceling", kind: "job" });
  // With nothing running the job is settled right here; otherwise its worker settles it.
  await finalizeJobIfDone(tx, syncJobId);
}

/** canceling → canceled for tables whose worker died: nobody else will finish the cancel. */
export async function reapAbandonedCancels(sql: postgres.Sql): Promise<string[]> {
  const rows = await sql<{ sync_job_id: string }[]>`
    update table_jobs set status = 'canceled', ended_at = now(), stage = null, worker_id = null
     where status = 'canceling' and lease_expires_at < now()
    returning sync_job_id`;
  const jobs = [...new Set(rows.map((r) => r.sync_job_id))];
  for (const id of jobs) await sql.begin((tx) => finalizeJobIfDone(tx, id));
  return jobs;
}
