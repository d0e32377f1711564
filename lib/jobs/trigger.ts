import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { ACTIVE_STATUSES, syncJobs, syncs, tableJobs } from "@/db/schema";
import { conflict, DomainError, invalid, notFound } from "@/lib/errors";
import { type AuditActor, recordAudit } from "@/lib/audit";
import { CHANNELS } from "@/lib/jobs/state/channels";
import { newFlowExecutionGroupId, newId, isObjectId } from "@/lib/ids";

export type RunType = "normal" | "resync";
/** `actor`: who asked, for the audit log (the scheduler passes none: its runs are in schedule_events). */
export type TriggerInput = { syncId: string; runType: RunType; tables?: string[]; triggeredBy: string; actor?: AuditActor };
export type SyncJobRow = typeof syncJobs.$inferSelect;

const pgCode = (e: unknown): { code?: string; constraint?: string } => {
  const err = (e as { cause?: unknown })?.cause ?? e;
  const { code, constraint_name } = (err ?? {}) as { code?: string; constraint_name?: string };
  return { code, constraint: constraint_name };
};

export async function findActiveJob(db: DbOrTx, syncId: string): Promise<SyncJobRow | undefined> {
  const [row] = await db
    .select()
    .from(syncJobs)
    .where(and(eq(syncJobs.syncId, syncId), inArray(syncJobs.status, [...ACTIVE_STATUSES])));
  return row;
}

/**
 * Queues one parent job with one table job per table. The unique partial index on
 * sync_jobs(sync_id) for active statuses decides races: of N concurrent triggers exactly one inserts.
 * The sync is read in the same transaction under a share lock, so an edit, a disable or a delete
 * of it either commits first (and the job is made from what it left, or not at all) or waits for
 * the job and then finds it active; a job never carries a table list the sync no longer has.
 */
export async function triggerRun(db: DbOrTx, input: TriggerInput): Promise<SyncJobRow> {
  if (!isObjectId(input.syncId)) throw notFound("invalid_ref", `Sync ${input.syncId} not found`, "_syncId");
  const jobId = newId();
  try {
    return await db.transaction(async (tx) => {
      const [sync] = await tx.select().from(syncs).where(eq(syncs.id, input.syncId)).for("share");
      if (!sync) throw notFound("invalid_ref", `Sync ${input.syncId} not found`, "_syncId");
      if (sync.disabled) throw new DomainError("invalid_sync", "The sync is disabled and cannot be run", { field: "disabled" });
      const tables = tablesToRun(sync.tables, input.tables);
      const [job] = await tx
        .insert(syncJobs)
        .values({
          id: jobId,
          flowExecutionGroupId: newFlowExecutionGroupId(),
          syncId: sync.id,
          integrationId: sync.integrationId,
          runType: input.runType,
          status: "queued",
          triggeredBy: input.triggeredBy,
        })
        .returning();
      await tx.insert(tableJobs).values(
        tables.map((tableName) => ({
          id: newId(),
          syncJobId: jobId,
          syncId: sync.id,
          tableName,
          position: sync.tables.indexOf(tableName),
        })),
      );
      await recordAudit(tx, input.actor, {
        action: input.runType === "resync" ? "sync.resync" : "sync.run",
        targetType: "sync",
        targetId: sync.id,
        changes: { _syncJobId: { to: jobId }, ...(input.tables ? { tables: { to: tables } } : {}) },
      });
      await tx.execute(
        sql`select pg_notify(${CHANNELS.work}, ${jobId}), pg_notify(${CHANNELS.events}, ${JSON.stringify({ syncJobId: jobId, syncId: sync.id, integrationId: sync.integrationId, status: "queued", kind: "job" })})`,
      );
      return job;
    });
  } catch (e) {
    const { code, constraint } = pgCode(e);
    if (code === "23505" && constraint === "sync_jobs_one_active_per_sync_uq") {
      const active = await findActiveJob(db, input.syncId);
      throw conflict("sync_job_already_queued", "A sync job is already queued or running for this sync", {
        _syncJobId: active?.id,
        status: active?.status,
      });
    }
    throw e;
  }
}

/** All of the sync's tables, or the ones asked for, in the sync's order. */
function tablesToRun(all: string[], asked: string[] | undefined): string[] {
  if (!asked) return all;
  const unknown = asked.filter((t) => !all.includes(t));
  if (unknown.length) throw invalid(`Unknown table(s) for this sync: ${unknown.join(", ")}`, "tables");
  if (!asked.length) throw invalid("tables must name at least one table", "tables");
  return all.filter((t) => asked.includes(t));
}
