import type postgres from "postgres";
import type { Db } from "@/db/client";
import { ApiError, notFound } from "@/lib/api/errors";
import { CHANNELS } from "@/lib/engine/channels";
import { finalizeJobIfDone } from "@/lib/engine/finalize";
import { notify } from "@/lib/engine/lease-sql";
import { isObjectId } from "@/lib/ids";

/**
 * Queued tables are canceled at once; running ones move to `canceling` and their worker,
 * woken by NOTIFY, stops within about a second and marks them `canceled`.
 * Lock order: table rows first, then the parent (see lib/engine/finalize.ts).
 */
async function requestCancel(tx: postgres.TransactionSql, syncJobId: string, canceledBy: string): Promise<void> {
  await tx`
    update table_jobs set
      status = case status when 'queued' then 'canceled' else 'canceling' end,
      ended_at = case status when 'queued' then now() else ended_at end
    where sync_job_id = ${syncJobId} and status in ('queued','running')`;
  const [parent] = await tx<{ sync_id: string; integration_id: string }[]>`
    update sync_jobs set status = 'canceling', canceled_by = coalesce(canceled_by, ${canceledBy})
    where id = ${syncJobId} and status in ('queued','running','canceling')
    returning sync_id, integration_id`;
  if (!parent) return;
  await tx`select pg_notify(${CHANNELS.cancel}, ${syncJobId})`;
  await notify(tx, { syncJobId, syncId: parent.sync_id, integrationId: parent.integration_id, status: "canceling", kind: "job" });
  // With nothing running the job is settled right here; otherwise its worker settles it.
  await finalizeJobIfDone(tx, syncJobId);
}

/** Cancels one job. 404 when unknown, 403 `sync_job_not_cancellable` when it already ended. */
export async function cancelJob(db: Db, syncJobId: string, canceledBy: string): Promise<void> {
  if (!isObjectId(syncJobId)) throw notFound("invalid_ref", `Sync job ${syncJobId} not found`, "_syncJobId");
  await db.$client.begin(async (tx) => {
    const [job] = await tx<{ status: string }[]>`select status from sync_jobs where id = ${syncJobId}`;
    if (!job) throw notFound("invalid_ref", `Sync job ${syncJobId} not found`, "_syncJobId");
    if (["completed", "failed", "canceled"].includes(job.status)) {
      throw new ApiError(403, "sync_job_not_cancellable", `The sync job is already ${job.status} and cannot be canceled`);
    }
    await requestCancel(tx, syncJobId, canceledBy);
  });
}

/** Cancels every queued or running job of a sync; false when there was none. */
export async function cancelSyncJobs(db: Db, syncId: string, canceledBy: string): Promise<boolean> {
  return db.$client.begin(async (tx) => {
    const jobs = await tx<{ id: string }[]>`
      select id from sync_jobs where sync_id = ${syncId} and status in ('queued','running','canceling')`;
    for (const { id } of jobs) await requestCancel(tx, id, canceledBy);
    return jobs.length > 0;
  }) as Promise<boolean>;
}
