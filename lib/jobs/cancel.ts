import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { ApiError, notFound } from "@/lib/api/errors";
import { CHANNELS } from "@/lib/engine/channels";
import { finalizeJobIfDone, notifyJobEvent } from "@/lib/engine/finalize";
import { isObjectId } from "@/lib/ids";

/**
 * Queued tables are canceled at once; running ones move to `canceling` and their worker,
 * woken by NOTIFY, stops within about a second and marks them `canceled`.
 * Lock order: table rows first, then the parent (see finalize.ts).
 */
async function requestCancel(tx: DbOrTx, syncJobId: string, canceledBy: string): Promise<void> {
  await tx.execute(sql`
    update table_jobs set
      status = case status when 'queued' then 'canceled' else 'canceling' end,
      ended_at = case status when 'queued' then now() else ended_at end
    where sync_job_id = ${syncJobId} and status in ('queued','running')`);
  const [parent] = await tx.execute<{ sync_id: string; integration_id: string }>(sql`
    update sync_jobs set status = 'canceling', canceled_by = coalesce(canceled_by, ${canceledBy})
    where id = ${syncJobId} and status in ('queued','running','canceling')
    returning sync_id, integration_id`);
  if (!parent) return;
  await tx.execute(sql`select pg_notify(${CHANNELS.cancel}, ${syncJobId})`);
  await notifyJobEvent(tx, { syncJobId, syncId: parent.sync_id, integrationId: parent.integration_id, status: "canceling", kind: "job" });
  // With nothing running, the job is settled right here; otherwise the worker settles it.
  await finalizeJobIfDone(tx, syncJobId);
}

export async function cancelJob(db: DbOrTx, syncJobId: string, canceledBy: string): Promise<void> {
  if (!isObjectId(syncJobId)) throw notFound("invalid_ref", `Sync job ${syncJobId} not found`, "_syncJobId");
  await db.transaction(async (tx) => {
    const [job] = await tx.execute<{ status: string }>(sql`select status from sync_jobs where id = ${syncJobId}`);
    if (!job) throw notFound("invalid_ref", `Sync job ${syncJobId} not found`, "_syncJobId");
    if (["completed", "failed", "canceled"].includes(job.status)) {
      throw new ApiError(403, "sync_job_not_cancellable", `The sync job is already ${job.status} and cannot be canceled`);
    }
    await requestCancel(tx, syncJobId, canceledBy);
  });
}

/** Cancels every queued or running job of a sync; false when there was none. */
export async function cancelSyncJobs(db: DbOrTx, syncId: string, canceledBy: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const jobs = await tx.execute<{ id: string }>(sql`
      select id from sync_jobs where sync_id = ${syncId} and status in ('queued','running','canceling')`);
    for (const { id } of jobs) await requestCancel(tx, id, canceledBy);
    return jobs.length > 0;
  });
}
