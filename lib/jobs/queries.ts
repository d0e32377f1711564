import { and, asc, eq, gt, ilike, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { integrations, syncErrors, syncJobs, syncs, tableJobs, type JobStatus } from "@/db/schema";
import { badRequest } from "@/lib/api/errors";
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
const badCursor = () => badRequest("cursor is not one this endpoint returned", "cursor");

/** Job cursor: created_at at full microsecond precision (a JS Date would lose it) + id. */
type JobCursor = { createdAt: string; id: string };
const CURSOR_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
export const encodeJobCursor = (c: JobCursor): string => b64(`${c.createdAt}|${c.id}`);
export function decodeJobCursor(cursor: string): JobCursor {
  const [createdAt, id, ...rest] = unb64(cursor).split("|");
  if (rest.length || !CURSOR_TS.test(createdAt ?? "") || !isObjectId(id ?? "") || Number.isNaN(Date.parse(createdAt))) throw badCursor();
  return { createdAt, id };
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

/** A job's table jobs in the sync's table order. */
export async function getTableJobs(db: DbOrTx, syncJobId: string): Promise<TableJobRow[]> {
  return db
    .select()
    .from(tableJobs)
    .where(eq(tableJobs.syncJobId, syncJobId))
    .orderBy(asc(tableJobs.position), asc(tableJobs.tableName));
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

/** A sync's jobs newest first: keyset on sync_jobs_sync_created_idx (or the status one when filtered). */
export async function listSyncJobs(
  db: DbOrTx,
  p: { syncId: string; limit: number; offset: number; cursor?: string; statuses?: JobStatus[] },
): Promise<JobPage> {
  const filter: SQL[] = [eq(syncJobs.syncId, p.syncId)];
  if (p.statuses?.length) filter.push(inArray(syncJobs.status, p.statuses));
  const page = [...filter];
  if (p.cursor) {
    const c = decodeJobCursor(p.cursor);
    page.push(sql`(${syncJobs.createdAt}, ${syncJobs.id}) < (${c.createdAt}::timestamptz, ${c.id})`);
  }
  const cursorTs = sql<string>`to_char(${syncJobs.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  const [rows, [{ count }]] = await Promise.all([
    db
      .select({ job: syncJobs, cursorTs })
      .from(syncJobs)
      .where(and(...page))
      .orderBy(...NEWEST_FIRST)
      .limit(p.limit + 1)
      .offset(p.offset),
    db.select({ count: sql<number>`count(*)::int` }).from(syncJobs).where(and(...filter)),
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

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * A job's errors oldest first, keyset on the id. Which index serves it: `_childJobId` (or a
 * `tableName`, resolved to its table job) → sync_errors_child_idx; `code` → sync_errors_parent_code_idx;
 * otherwise sync_errors_parent_idx with stage/q as filters on that range. The total is one count
 * over the same index (index-only), never a load of the rows.
 */
export async function listJobErrors(
  db: DbOrTx,
  p: ErrorFilter & { limit: number; offset: number; cursor?: string },
): Promise<ErrorPage> {
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

  const filter: SQL[] = [eq(syncErrors.parentJobId, p.parentJobId)];
  if (childJobId) filter.push(eq(syncErrors.childJobId, childJobId));
  if (p.tableName !== undefined) filter.push(eq(syncErrors.tableName, p.tableName));
  if (p.code !== undefined) filter.push(eq(syncErrors.code, p.code));
  if (p.stage !== undefined) filter.push(eq(syncErrors.stage, p.stage));
  if (p.q !== undefined) filter.push(ilike(syncErrors.message, `%${likeEscape(p.q)}%`));
  const page = p.cursor ? [...filter, gt(syncErrors.id, decodeErrorCursor(p.cursor))] : filter;

  const [rows, [{ count }]] = await Promise.all([
    db
      .select()
      .from(syncErrors)
      .where(and(...page))
      .orderBy(asc(syncErrors.id))
      .limit(p.limit + 1)
      .offset(p.offset),
    db.select({ count: sql<number>`count(*)::int` }).from(syncErrors).where(and(...filter)),
  ]);
  const more = rows.length > p.limit;
  const shown = rows.slice(0, p.limit);
  const last = shown.at(-1);
  return { rows: shown, totalCount: count, nextCursor: more && last ? encodeErrorCursor(last.id) : undefined };
}

// ---- latest per sync -----------------------------------------------------------------------

export type LatestJobs =
  | { kind: "missing_integration" }
  | { kind: "no_syncs" }
  | { kind: "ok"; rows: SyncJobRow[] };

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
