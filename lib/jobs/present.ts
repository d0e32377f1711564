import { type syncErrors, type syncJobs, type tableJobs, TERMINAL_STATUSES } from "@/db/schema";
import type { SyncErrorWire, SyncJobWire, SyncTableJobWire } from "@/lib/contracts/jobs";

/**
 * Rows → wire JSON. The seed's rule: a field that does not apply is absent, never null
 * (`startedAt` while queued, `endedAt` until terminal, `canceledBy` unless canceled, ...).
 */

export type SyncJobRow = typeof syncJobs.$inferSelect;
export type TableJobRow = typeof tableJobs.$inferSelect;
export type SyncErrorRow = typeof syncErrors.$inferSelect;
/** What a parent's progress is computed from: one entry per table job. */
export type TableProgressRow = Pick<
  TableJobRow,
  | "status"
  | "progressTotal"
  | "numExtractedRecords"
  | "numLoadedRecords"
  | "numErrors"
  | "numInsertedRecords"
  | "numUpdatedRecords"
  | "numDeletedRecords"
>;

const TERMINAL = new Set<string>(TERMINAL_STATUSES);
/** Statuses in which a worker is (still) moving records, so progress means something. */
const IN_FLIGHT = new Set(["running", "canceling"]);

const iso = (d: Date | null | undefined): string | undefined => (d ? d.toISOString() : undefined);

/** Drops undefined keys so the object matches what JSON.stringify sends (and `.strict()` schemas in tests). */
function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function durationSeconds(startedAt: Date | null, endedAt: Date | null, now: Date): number | undefined {
  if (!startedAt) return undefined;
  const end = endedAt ?? now;
  return Math.max(0, Math.round(end.getTime() - startedAt.getTime()) / 1000);
}

type Progress = { processed: number; total?: number; percentage?: number };

function progressOf(processed: number, total: number | null): { progress: Progress; ratio?: number } {
  if (total === null) return { progress: { processed } };
  // A total of zero with nothing to do is done; processed can overshoot an estimated total.
  const ratio = total === 0 ? 1 : Math.min(1, processed / total);
  return { progress: { processed, total, percentage: Math.round(ratio * 1000) / 10 }, ratio };
}

/** Linear extrapolation from elapsed time; only when some but not all work is done. */
function estimate(startedAt: Date | null, ratio: number | undefined, now: Date): string | undefined {
  if (!startedAt || ratio === undefined || ratio <= 0 || ratio >= 1) return undefined;
  const elapsed = now.getTime() - startedAt.getTime();
  if (elapsed <= 0) return undefined;
  return new Date(startedAt.getTime() + elapsed / ratio).toISOString();
}

/**
 * A parent's progress from its tables: finished tables count as fully processed at what they
 * extracted; an active table contributes its own total. While any active table's total is still
 * unknown (not started yet), so is the parent's.
 */
export function parentProgress(tables: TableProgressRow[]): { processed: number; total: number | null } {
  let processed = 0;
  let total: number | null = 0;
  for (const t of tables) {
    processed += t.numExtractedRecords;
    if (total === null) continue;
    if (TERMINAL.has(t.status)) total += t.numExtractedRecords;
    else if (t.progressTotal === null) total = null;
    else total += t.progressTotal;
  }
  return { processed, total };
}

type Counters = Pick<
  SyncJobRow,
  "numExtractedRecords" | "numLoadedRecords" | "numErrors" | "numInsertedRecords" | "numUpdatedRecords" | "numDeletedRecords"
>;

const counters = (r: Counters): Counters => ({
  numExtractedRecords: r.numExtractedRecords,
  numLoadedRecords: r.numLoadedRecords,
  numErrors: r.numErrors,
  numInsertedRecords: r.numInsertedRecords,
  numUpdatedRecords: r.numUpdatedRecords,
  numDeletedRecords: r.numDeletedRecords,
});

/** A running parent's counters: the sums of its tables' (workers never write the parent's row per batch). */
function summed(tables: TableProgressRow[]): Counters {
  const sum = {
    numExtractedRecords: 0,
    numLoadedRecords: 0,
    numErrors: 0,
    numInsertedRecords: 0,
    numUpdatedRecords: 0,
    numDeletedRecords: 0,
  };
  for (const t of tables) for (const k of Object.keys(sum) as (keyof Counters)[]) sum[k] += t[k];
  return sum;
}

/** `tables` is needed only for an in-flight job (its progress); pass what you have. */
export function presentJob(row: SyncJobRow, tables?: TableProgressRow[], now = new Date()): SyncJobWire {
  const inFlight = IN_FLIGHT.has(row.status) && tables !== undefined;
  const p = inFlight ? parentProgress(tables) : undefined;
  const prog = p ? progressOf(p.processed, p.total) : undefined;
  return compact({
    _id: row.id,
    flowExecutionGroupId: row.flowExecutionGroupId,
    _integrationId: row.integrationId,
    _syncId: row.syncId,
    runType: row.runType as SyncJobWire["runType"],
    status: row.status as SyncJobWire["status"],
    triggeredBy: row.triggeredBy,
    canceledBy: row.status === "canceled" ? (row.canceledBy ?? undefined) : undefined,
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    endedAt: TERMINAL.has(row.status) ? iso(row.endedAt) : undefined,
    purgeAt: TERMINAL.has(row.status) ? iso(row.purgeAt) : undefined,
    // While in flight, the tables' sums; once ended, the parent's own (finalizeJobIfDone stored the sums).
    ...(inFlight ? summed(tables) : counters(row)),
    numTablesSynced: row.numTablesSynced,
    durationSeconds: durationSeconds(row.startedAt, TERMINAL.has(row.status) ? row.endedAt : null, now),
    progress: prog?.progress,
    estimatedCompletion: prog ? estimate(row.startedAt, prog.ratio, now) : undefined,
    errorMessage: row.status === "failed" ? (row.errorMessage ?? undefined) : undefined,
  });
}

export function presentTable(row: TableJobRow, now = new Date()): SyncTableJobWire {
  const inFlight = IN_FLIGHT.has(row.status);
  const prog = inFlight ? progressOf(row.numExtractedRecords, row.progressTotal) : undefined;
  return compact({
    _id: row.id,
    tableName: row.tableName,
    createdAt: row.createdAt.toISOString(),
    status: row.status as SyncTableJobWire["status"],
    startedAt: iso(row.startedAt),
    endedAt: TERMINAL.has(row.status) ? iso(row.endedAt) : undefined,
    ...counters(row),
    numAttempts: row.numAttempts,
    stage: row.status === "running" && row.stage ? (row.stage as SyncTableJobWire["stage"]) : undefined,
    durationSeconds: durationSeconds(row.startedAt, TERMINAL.has(row.status) ? row.endedAt : null, now),
    progress: prog?.progress,
    estimatedCompletion: prog ? estimate(row.startedAt, prog.ratio, now) : undefined,
    errorMessage: row.status === "failed" ? (row.errorMessage ?? undefined) : undefined,
    schemaChanges:
      Array.isArray(row.schemaChanges) && row.schemaChanges.length ? (row.schemaChanges as SyncTableJobWire["schemaChanges"]) : undefined,
  });
}

/** A job with its table jobs, as `GET /v1/syncJobs/{id}/family` answers it (and the job page starts from). */
export function presentFamily({ job, tables }: { job: SyncJobRow; tables: TableJobRow[] }, now = new Date()) {
  return { ...presentJob(job, tables, now), tables: tables.map((t) => presentTable(t, now)) };
}

export function presentError(row: SyncErrorRow): SyncErrorWire {
  return compact({
    _id: String(row.id),
    scope: row.scope,
    source: row.source,
    code: row.code,
    message: row.message,
    _datasetId: row.datasetId,
    _syncId: row.syncId,
    _parentSyncJobId: row.parentJobId,
    _childSyncJobId: row.childJobId,
    flowExecutionGroupId: row.flowExecutionGroupId,
    stage: row.stage,
    datasetName: row.datasetName,
    tableName: row.tableName,
    occurredAt: row.occurredAt.toISOString(),
    recordKey: row.recordKey ?? undefined,
  });
}
