import type postgres from "postgres";
import type { Db } from "@/db/client";
import { TERMINAL_STATUSES } from "@/db/schema";
import { forbidden, notFound } from "@/lib/errors";
import { type AuditActor, recordAuditRaw } from "@/lib/audit";
import { isObjectId } from "@/lib/ids";
import { requestCancel } from "./state";
import { ACTIVE_SQL } from "./state/sql-lists";

/**
 * Cancels one job. 404 when unknown, 403 `sync_job_not_cancellable` when it already ended, or
 * when its tables all ended while this request came (it will not end canceled). Asking again
 * while a cancel is in progress is a 204 and no second audit event.
 */
export async function cancelJob(db: Db, syncJobId: string, canceledBy: string, actor?: AuditActor): Promise<void> {
  if (!isObjectId(syncJobId)) throw notFound("invalid_ref", `Sync job ${syncJobId} not found`, "_syncJobId");
  await db.$client.begin(async (tx) => {
    const [job] = await tx<{ status: string; sync_id: string }[]>`select status, sync_id from sync_jobs where id = ${syncJobId}`;
    if (!job) throw notFound("invalid_ref", `Sync job ${syncJobId} not found`, "_syncJobId");
    if ((TERMINAL_STATUSES as readonly string[]).includes(job.status)) {
      throw forbidden("sync_job_not_cancellable", `The sync job is already ${job.status} and cannot be canceled`);
    }
    const outcome = await requestCancel(tx, syncJobId, canceledBy);
    if (outcome === "ended") throw forbidden("sync_job_not_cancellable", "The sync job finished its tables and cannot be canceled");
    if (outcome === "requested") await auditCancel(tx, actor, syncJobId, job.sync_id);
  });
}

const auditCancel = (tx: postgres.TransactionSql, actor: AuditActor | undefined, syncJobId: string, syncId: string) =>
  recordAuditRaw(tx, actor, {
    action: "sync_job.cancel",
    targetType: "sync_job",
    targetId: syncJobId,
    changes: { _syncId: { to: syncId } },
  });

/** Cancels every queued or running job of a sync; false when there was none left to stop. */
export async function cancelSyncJobs(db: Db, syncId: string, canceledBy: string, actor?: AuditActor): Promise<boolean> {
  return db.$client.begin(async (tx) => {
    const jobs = await tx<{ id: string }[]>`
      select id from sync_jobs where sync_id = ${syncId} and status in (${tx.unsafe(ACTIVE_SQL)})`;
    let any = false;
    for (const { id } of jobs) {
      const outcome = await requestCancel(tx, id, canceledBy);
      if (outcome === "requested") await auditCancel(tx, actor, id, syncId);
      any ||= outcome !== "ended";
    }
    return any;
  }) as Promise<boolean>;
}
