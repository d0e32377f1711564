import { and, asc, eq, gt, ilike, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { integrations, syncErrorCounts, syncErrors, syncJobCounts, syncJobs, syncs, tableJobs, type JobStatus } from "@/db/schema";
import { invalid } from "@/lib/errors";
import { isObjectId } from "@/lib/ids";
import type { SyncErrorRow, SyncJobRow, TableJobRow, TableProgressRow } from "./present";

/**
 * Read queries behind the job endpoints, as plain `fn(db, params)`. Every list is keyset-paged on
 * an index declared in db/schema.ts, so a deep page costs the same as the first one.
 */

const IN_FLIGHT: JobStatus[] = ["running", "canceling"];

// ---- cursors -------------------------------------------------------------------------------

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");
const unb64 = (s: string) => (/^[A-Za-z0-9_-]+$/.test(s) ? Buffer.from(s, "base64url").toString("utf8") : "");
const badCursor = () => invalid("cursor is not one this endpoint returned", "cursor");

/** Job cursor: created_at at full microsecond precision (a JS Date would lose it) + id. */
type JobCursor = { createdAt: string; id: string };
const CURSOR_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
export const encodeJobCursor = (c: JobCursor): string => b64(`${c.createdAt}|${c.id}`);
export function decodeJobCursor(cursor: string): JobCursor {
  const [createdAt, id, ...rest] = unb64(cursor).split("|");
  if (rest.length || !CURSOR_TS.test(createdAt ?? "") || !isObjectId(id ?? "") || !isRealInstant(createdAt)) throw badCursor();
  return { createdAt, id };
}

/** Date.parse rolls Feb 30 over to Mar 2 where Postgres refuses it: the instant must print back as itself (year ≥ 1). */
function isRealInstant(ts: string): boolean {
  const ms = Date.parse(ts);
  return !Number.isNaN(ms) && ts.slice(0, 4) !== "0000" && new Date(ms).toISOString().slice(0, 19) === ts.slice(0, 19);
}

export const encodeErrorCursor = (id: number): string => b64(`e${id}`);
export function decodeErrorCursor(cursor: string): number {
  const m = /^e(\d{1,16})$/.exec(unb64(cursor));
  const id = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(id)) throw badCursor();
  return id;
}

// ---- single rows ---------------------------------------------------------------------------

export async function syncExists(db: DbOrTx, syncId: string): Promise<boolean> {
  if (!isObjectId(syncId)) return false;
  const [row] = await db.select({ id: syncs.id }).from(syncs).where(eq(syncs.id, syncId));
  return !!row;
}

/** A parent job by id; undefined for unknown or malformed ids. */
export async function getSyncJob(db: DbOrTx, syncJobId: string): Promise<SyncJobRow | undefined> {
  if (!isObjectId(syncJobId)) return undefined;
  const [row] = await db.select().from(syncJobs).where(eq(syncJobs.id, syncJobId));
  return row;
}

/**
 * A job and its table jobs, the job read first. Read side by side, the tables could come from
 * before a cancel's last step and the job from after it: an ended job with a table still
 * canceling. In this order an ended job always comes with ended tables, since a job ends in the
 * transaction that ends its last table or in one after it (lib/jobs/state/finalize.ts).
 */
export async function getJobFamily(db: DbOrTx, syncJobId: string): Promise<{ job: SyncJobRow; tables: TableJobRow[] } | undefined> {
  const job = await getSyncJob(db, syncJobId);
  return job && { job, tables: await getTableJobs(db, syncJobId) };
}

/** A job's table jobs in the sync's table order. */
export async function getTableJobs(db: DbOrTx, syncJobId: string): Promise<TableJobRow[]> {
  return db.select().from(tableJobs).where(eq(tableJobs.syncJobId, syncJobId)).orderBy(asc(tableJobs.position), asc(tableJobs.tableName));
}

/**
 * What in-flight jobs' progress is computed from, keyed by job id. Only in-flight jobs are looked up:
 * a page of history holds at most one per sync (the one-active-job invariant).
 */
export async function tableProgressFor(db: DbOrTx, jobs: SyncJobRow[]): Promise<Map<string, TableProgressRow[]>> {
  const ids = jobs.filter((j) => IN_FLIGHT.includes(j.status as JobStatus)).map((j) => j.id);
  const byJob = new Map<string, TableProgressRow[]>();
  if (!ids.length) return byJob;
  const rows = await db
    .select({
      syncJobId: tableJobs.syncJobId,
      status: tableJobs.status,
      numExtractedRecords: tableJobs.numExtractedRecords,
      progressTotal: tableJobs.progressTotal,
      // A running parent's counters are its tables' sums (present.ts): workers do not write its row per batch.
      numLoadedRecords: tableJobs.numLoadedRecords,
      numErrors: tableJobs.numErrors,
      numInsertedRecords: tableJobs.numInsertedRecords,
      numUpdatedRecords: tableJobs.numUpdatedRecords,
      numDeletedRecords: tableJobs.numDeletedRecords,
    })
    .from(tableJobs)
    .where(inArray(tableJobs.syncJobId, ids));
  for (const { syncJobId, ...r } of rows) byJob.set(syncJobId, [...(byJob.get(syncJobId) ?? []), r]);
  return byJob;
}

// ---- job history ---------------------------------------------------------------------------

/**
 * drizzle-kit declared the job indexes `DESC NULLS LAST`; Postgres only walks an index for an ORDER BY
 * that matches it exactly (the columns being NOT NULL does not help), so say NULLS LAST here too.
 */
const NEWEST_FIRST = [sql`${syncJobs.createdAt} desc nulls last`, sql`${syncJobs.id} desc nulls last`];

export type JobPage = { rows: SyncJobRow[]; totalCount: number; nextCursor?: string };

/**
 * A sync's jobs newest first: keyset on sync_jobs_sync_created_idx (or the status one when filtered).
 * The total comes from sync_job_counts (kept by triggers), a few rows, not a count of the sync's jobs.
 */
export async function listSyncJobs(
  db: DbOrTx,
  p: { syncId: string; limit: number; offset: number; cursor?: string; statuses?: JobStatus[] },
): Promise<JobPage> {
  const page: SQL[] = [eq(syncJobs.syncId, p.syncId)];
  if (p.statuses?.length) page.push(inArray(syncJobs.status, p.statuses));
  if (p.cursor) {
    const c = decodeJobCursor(p.cursor);
    page.push(sql`(${syncJobs.createdAt}, ${syncJobs.id}) < (${c.createdAt}::timestamptz, ${c.id})`);
  }
  const counted: SQL[] = [eq(syncJobCounts.syncId, p.syncId)];
  if (p.statuses?.length) counted.push(inArray(syncJobCounts.status, p.statuses));
  const cursorTs = sql<string>`to_char(${syncJobs.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  const [rows, [{ count }]] = await Promise.all([
    db
      .select({ job: syncJobs, cursorTs })
      .from(syncJobs)
      .where(and(...page))
      .orderBy(...NEWEST_FIRST)
      .limit(p.limit + 1)
      .offset(p.offset),
    db
      .select({ count: sql<number>`coalesce(sum(${syncJobCounts.n}), 0)::int` })
      .from(syncJobCounts)
      .where(and(...counted)),
  ]);
  const more = rows.length > p.limit;
  const shown = rows.slice(0, p.limit);
  const last = shown.at(-1);
  return {
    rows: shown.map((r) => r.job),
    totalCount: count,
    nextCursor: more && last ? encodeJobCursor({ createdAt: last.cursorTs, id: last.job.id }) : undefined,
  };
}

// ---- errors --------------------------------------------------------------------------------

export type ErrorFilter = {
  parentJobId: string;
  childJobId?: string;
  code?: string;
  stage?: string;
  tableName?: string;
  q?: string;
};
export type ErrorPage = { rows: SyncErrorRow[]; totalCount: number; nextCursor?: string };

export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * A job's errors oldest first, keyset on the id, as a deferred join: the page's ids first, from an
 * index-only scan of the index that serves the filter (sync_errors_parent_idx, sync_errors_child_idx,
 * sync_errors_parent_code_idx; `q` through the trigram index), then those rows by primary key.
 * Asked for whole rows in id order directly, the planner walks the primary key and filters by job —
 * the statistics cannot tell it that a recent job's errors are all at the far end, so for the newest
 * job it reads every older job's errors first (seconds at millions of errors).
 * The total is a sum over sync_error_counts (kept by triggers) except for `q`, whose matches are counted.
 */
export async function listJobErrors(db: DbOrTx, p: ErrorFilter & { limit: number; offset: number; cursor?: string }): Promise<ErrorPage> {
  let childJobId = p.childJobId;
  if (p.tableName !== undefined) {
    // Table names are unique within a job (table_jobs_job_table_uq): the child index is then usable.
    const [table] = await db
      .select({ id: tableJobs.id })
      .from(tableJobs)
      .where(and(eq(tableJobs.syncJobId, p.parentJobId), eq(tableJobs.tableName, p.tableName)));
    if (!table || (childJobId && childJobId !== table.id)) return { rows: [], totalCount: 0 };
    childJobId = table.id;
  }
  const f: ErrorFilter = { ...p, childJobId };
  const after = p.cursor ? [gt(syncErrors.id, decodeErrorCursor(p.cursor))] : [];
  const pageIds = db
    .select({ id: syncErrors.id })
    .from(syncErrors)
    .where(and(...pageConditions(f), ...after))
    .orderBy(asc(syncErrors.id))
    .limit(p.limit + 1)
    .offset(p.offset);

  const [rows, totalCount] = await Promise.all([
    db
      .select()
      .from(syncErrors)
      .where(and(inArray(syncErrors.id, pageIds), ...fetchedConditions(f)))
      .orderBy(asc(syncErrors.id)),
    countErrors(db, f),
  ]);
  const more = rows.length > p.limit;
  const shown = rows.slice(0, p.limit);
  const last = shown.at(-1);
  return { rows: shown, totalCount, nextCursor: more && last ? encodeErrorCursor(last.id) : undefined };
}

/**
 * The filter as the ids query needs it. A table job's errors all belong to its one parent and carry its
 * one table name, so with a `childJobId` those two are checked on the fetched rows instead (see
 * fetchedConditions; all of them pass or none do): the ids then come from sync_errors_child_idx alone,
 * index-only.
 */
export function pageConditions(f: ErrorFilter): SQL[] {
  return f.childJobId ? errorConditions({ ...f, tableName: undefined }).slice(1) : errorConditions(f);
}

/** What the fetched rows of a page are checked against (the parent always; the table with a child). */
export function fetchedConditions(f: ErrorFilter): SQL[] {
  const where: SQL[] = [eq(syncErrors.parentJobId, f.parentJobId)];
  if (f.childJobId && f.tableName !== undefined) where.push(eq(syncErrors.tableName, f.tableName));
  return where;
}

/** WHERE clauses of an errors filter on sync_errors (childJobId already resolved from tableName). */
export function errorConditions(f: ErrorFilter): SQL[] {
  const where: SQL[] = [eq(syncErrors.parentJobId, f.parentJobId)];
  if (f.childJobId) where.push(eq(syncErrors.childJobId, f.childJobId));
  if (f.tableName !== undefined) where.push(eq(syncErrors.tableName, f.tableName));
  if (f.code !== undefined) where.push(eq(syncErrors.code, f.code));
  if (f.stage !== undefined) where.push(eq(syncErrors.stage, f.stage));
  if (f.q !== undefined) where.push(ilike(syncErrors.message, `%${likeEscape(f.q)}%`));
  return where;
}

/** How many errors match: from the maintained counts, unless a text search has to look at messages. */
async function countErrors(db: DbOrTx, f: ErrorFilter): Promise<number> {
  if (f.q !== undefined) {
    const [{ count }] = await db
      .select({ count: sql<number>`count(*)::int` })
      .from(syncErrors)
      .where(and(...errorConditions(f)));
    return count;
  }
  const where: SQL[] = [eq(syncErrorCounts.parentJobId, f.parentJobId)];
  if (f.childJobId) where.push(eq(syncErrorCounts.childJobId, f.childJobId));
  if (f.tableName !== undefined) where.push(eq(syncErrorCounts.tableName, f.tableName));
  if (f.code !== undefined) where.push(eq(syncErrorCounts.code, f.code));
  if (f.stage !== undefined) where.push(eq(syncErrorCounts.stage, f.stage));
  const [{ count }] = await db
    .select({ count: sql<number>`coalesce(sum(${syncErrorCounts.n}), 0)::int` })
    .from(syncErrorCounts)
    .where(and(...where));
  return count;
}

// ---- latest per sync -----------------------------------------------------------------------

export type LatestJobs = { kind: "missing_integration" } | { kind: "no_syncs" } | { kind: "ok"; rows: SyncJobRow[] };

/**
 * The newest job of each sync of an integration: one LATERAL probe of sync_jobs_sync_created_idx
 * per sync (syncs in creation order via syncs_integration_idx), so cost is O(syncs), not O(jobs).
 */
export async function latestJobsForIntegration(db: DbOrTx, integrationId: string): Promise<LatestJobs> {
  if (!isObjectId(integrationId)) return { kind: "missing_integration" };
  // One probe answers both questions: no row → no integration; a null sync id → no syncs.
  const [found] = await db
    .select({ syncId: syncs.id })
    .from(integrations)
    .leftJoin(syncs, eq(syncs.integrationId, integrations.id))
    .where(eq(integrations.id, integrationId))
    .limit(1);
  if (!found) return { kind: "missing_integration" };
  if (!found.syncId) return { kind: "no_syncs" };

  const latest = db
    .select()
    .from(syncJobs)
    .where(eq(syncJobs.syncId, syncs.id))
    .orderBy(...NEWEST_FIRST)
    .limit(1)
    .as("latest");
  const rows = await db
    .select({ job: latest._.selectedFields })
    .from(syncs)
    .innerJoinLateral(latest, sql`true`)
    .where(eq(syncs.integrationId, integrationId))
    .orderBy(asc(syncs.createdAt), asc(syncs.id));
  return { kind: "ok", rows: rows.map((r) => r.job) };
}
