import { and, arrayOverlaps, count, desc, eq, inArray, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { schedules, syncs } from "@/db/schema";
import { conflict, notFound } from "@/lib/errors";
import { isObjectId } from "@/lib/ids";
import { ACTIVE_SQL } from "@/lib/jobs/state/sql-lists";
import { urlFingerprints } from "@/lib/secrets";
import type { DestinationConfig } from "@/lib/contracts/sync-config";

export type SyncRow = typeof syncs.$inferSelect;
export type ScheduleRow = typeof schedules.$inferSelect;
export type LatestJobRow = {
  id: string;
  sync_id: string;
  status: string;
  run_type: string;
  triggered_by: string;
  created_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  num_errors: number;
};

export async function findSync(db: DbOrTx, id: string, opts: { lock?: boolean } = {}): Promise<SyncRow | undefined> {
  if (!isObjectId(id)) return undefined;
  const q = db.select().from(syncs).where(eq(syncs.id, id));
  const [row] = opts.lock ? await q.for("update") : await q;
  return row;
}

export async function getSyncOr404(db: DbOrTx, id: string, opts: { lock?: boolean; field?: string } = {}): Promise<SyncRow> {
  const row = await findSync(db, id, opts);
  if (!row) throw notFound("invalid_ref", `Sync ${id} not found`, opts.field ?? "_syncId");
  return row;
}

/** Syncs newest first, optionally of one integration (served by syncs_integration_idx). */
export async function listSyncs(
  db: DbOrTx,
  params: { integrationId?: string; limit: number; offset: number },
): Promise<{ rows: SyncRow[]; totalCount: number }> {
  const where = params.integrationId ? eq(syncs.integrationId, params.integrationId) : undefined;
  const [rows, [{ n }]] = await Promise.all([
    db.select().from(syncs).where(where).orderBy(desc(syncs.createdAt), desc(syncs.id)).limit(params.limit).offset(params.offset),
    db.select({ n: count() }).from(syncs).where(where),
  ]);
  return { rows, totalCount: n };
}

/** The newest job of each sync: one index probe per sync on sync_jobs_sync_created_idx. */
export async function latestJobs(db: DbOrTx, syncIds: string[]): Promise<Map<string, LatestJobRow>> {
  if (!syncIds.length) return new Map();
  const rows = await db.execute<LatestJobRow>(sql`
    select j.id, j.sync_id, j.status, j.run_type, j.triggered_by, j.created_at, j.started_at, j.ended_at,
           -- a running job's errors are its tables' sum: workers do not write the parent's row per batch
           case when j.status in ('running', 'canceling') then (select coalesce(sum(t.num_errors), 0) from table_jobs t where t.sync_job_id = j.id)
                else j.num_errors end as num_errors
    from unnest(${pgTextArray(syncIds)}::text[]) as s(id)
    cross join lateral (
      -- NULLS LAST as in the index: a plain DESC (nulls first) cannot walk it and sorts every job of the sync.
      select * from sync_jobs where sync_id = s.id order by created_at desc nulls last, id desc nulls last limit 1
    ) j`);
  return new Map(
    rows.map((r) => [
      r.sync_id,
      { ...r, created_at: asDate(r.created_at)!, started_at: asDate(r.started_at), ended_at: asDate(r.ended_at) },
    ]),
  );
}

export async function schedulesOf(db: DbOrTx, syncIds: string[]): Promise<Map<string, ScheduleRow>> {
  if (!syncIds.length) return new Map();
  const rows = await db.select().from(schedules).where(inArray(schedules.syncId, syncIds));
  return new Map(rows.map((r) => [r.syncId, r]));
}

/** Any queued/running/canceling job among these syncs (callers hold the syncs' row locks). */
export async function findActiveJobAmong(
  db: DbOrTx,
  syncIds: string[],
): Promise<{ id: string; sync_id: string; status: string } | undefined> {
  if (!syncIds.length) return undefined;
  const [row] = await db.execute<{ id: string; sync_id: string; status: string }>(sql`
    select id, sync_id, status from sync_jobs
    where sync_id = any(${pgTextArray(syncIds)}::text[]) and status in (${sql.raw(ACTIVE_SQL)})
    limit 1`);
  return row;
}

export const jobActiveError = (what: string, job: { id: string; sync_id: string; status: string }) =>
  conflict("sync_job_active", `${what} while a sync job is ${job.status}; cancel it first`, {
    _syncJobId: job.id,
    _syncId: job.sync_id,
  });

/**
 * Two syncs loading the same table into the same warehouse schema would overwrite each other's
 * data and checkpoints, so a destination schema's table names belong to one sync. Runs inside the
 * transaction that creates or edits the sync: it first takes a lock on the schema's name held to
 * that transaction's end, so of two creates or edits racing for one destination the second waits
 * for the first and then sees it (each alone would find the other not yet committed).
 */
export async function assertDestinationFree(
  db: DbOrTx,
  params: { destination: DestinationConfig; tables: string[]; exceptSyncId?: string },
): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sync destination ${params.destination.schema}`}, 0))`);
  const clash = await db
    .select({ id: syncs.id, name: syncs.name, tables: syncs.tables })
    .from(syncs)
    .where(
      and(
        sql`${syncs.destination}->>'schema' = ${params.destination.schema}`,
        // Two warehouses may each have a schema of that name; only the same database clashes.
        // The url itself is sealed; its fingerprint (under any current key) tells warehouses apart.
        sql`coalesce(${syncs.destination}->>'urlFingerprint', '') = any(${pgTextArray(params.destination.url ? urlFingerprints(params.destination.url) : [""])}::text[])`,
        arrayOverlaps(syncs.tables, params.tables),
        params.exceptSyncId ? ne(syncs.id, params.exceptSyncId) : undefined,
      ),
    )
    .limit(1);
  if (clash.length) {
    const shared = clash[0].tables.filter((t) => params.tables.includes(t));
    throw conflict(
      "destination_conflict",
      `Sync "${clash[0].name}" already loads ${shared.join(", ")} into schema ${params.destination.schema}`,
      { field: "destination.schema", _syncId: clash[0].id },
    );
  }
}

/** postgres.js binds a JS array as one text[] literal. */
const pgTextArray = (values: string[]) => `{${values.map((v) => `"${v.replace(/(["\\])/g, "\\$1")}"`).join(",")}}`;
const asDate = (v: Date | string | null): Date | null => (v == null ? null : v instanceof Date ? v : new Date(v));
