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
 */
export async function triggerRun(db: DbOrTx, input: TriggerInput): Promise<SyncJobRow> {
  if (!isObjectId(input.syncId)) throw notFound("invalid_ref", `Sync ${input.syncId} not found`, "_syncId");
  const [sync] = await db.select().from(syncs).where(eq(syncs.id, input.syncId));
  if (!sync) throw notFound("invalid_ref", `Sync ${input.syncId} not found`, "_syncId");
  if (sync.disabled) throw new DomainError("invalid_sync", "The sync is disabled and cannot be run", { field: "disabled" });

  let tables = sync.tables;
  if (input.tables) {
    const unknown = input.tables.filter((t) => !sync.tables.includes(t));
    if (unknown.length) throw invalid(`Unknown table(s) for this sync: ${unknown.join(", ")}`, "tables");
    if (!input.tables.length) throw invalid("tables must name at least one table", "tables");
    tables = sync.tables.filter((t) => input.tables!.includes(t));
  }

  const jobId = newId();
  try {
    return await db.transaction(async (tx) => {
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
      const active = await findActiveJob(db, sync.id);
      throw conflict("sync_job_already_queued", "A sync job is already queued or running for this sync", {
        _syncJobId: active?.id,
        status: active?.status,
      });
    }
    throw e;
  }
}
