import { and, asc, desc, eq, gt, ilike, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { syncErrorCounts, syncErrors, tableJobs } from "@/db/schema";
import { type ErrorFilter, fetchedConditions, likeEscape, pageConditions } from "./queries";

/**
 * Grouped counts and CSV export of a job's errors (the dashboard's errors page). Filters mean
 * exactly what they mean on GET /v1/syncJobs/{id}/errors, so the counts, the list and the export
 * of one filter always agree.
 */

type Dimension = "code" | "stage" | "table";

/** WHERE clauses for a filter; `except` leaves one dimension out (a facet counts across its own values). */
function conditions(f: ErrorFilter, except?: Dimension): SQL[] {
  const where: SQL[] = [eq(syncErrors.parentJobId, f.parentJobId)];
  if (except !== "table") {
    if (f.childJobId) where.push(eq(syncErrors.childJobId, f.childJobId));
    if (f.tableName !== undefined) where.push(eq(syncErrors.tableName, f.tableName));
  }
  if (except !== "code" && f.code !== undefined) where.push(eq(syncErrors.code, f.code));
  if (except !== "stage" && f.stage !== undefined) where.push(eq(syncErrors.stage, f.stage));
  if (f.q !== undefined) where.push(ilike(syncErrors.message, `%${likeEscape(f.q)}%`));
  return where;
}

export type ErrorSummary = {
  byCode: { code: string; count: number }[];
  byTable: { tableName: string; _childJobId: string; count: number }[];
  byStage: { stage: string; count: number }[];
};

/**
 * Faceted counts: each grouping applies every filter except its own dimension, so picking a code
 * still shows how many errors the other codes have. Without `q` they are sums over sync_error_counts
 * (a handful of rows per table job, whatever the number of errors); a text search has to group the
 * matching error rows themselves.
 */
export async function summarizeErrors(db: DbOrTx, f: ErrorFilter): Promise<ErrorSummary> {
  return f.q === undefined ? summarizeFromCounts(db, f) : summarizeRows(db, f);
}

type Facet = "byCode" | "byTable" | "byStage";
const FACET_LIMITS: Record<Facet, number> = { byCode: 200, byTable: 1000, byStage: 50 };

async function summarizeFromCounts(db: DbOrTx, f: ErrorFilter): Promise<ErrorSummary> {
  const c = syncErrorCounts;
  const rows = await db
    .select({ childJobId: c.childJobId, tableName: c.tableName, code: c.code, stage: c.stage, n: c.n })
    .from(c)
    .where(eq(c.parentJobId, f.parentJobId));
  // Every facet of one job comes from the same few rows: fetch them once, group in memory.
  const keep = (r: (typeof rows)[number], except: Dimension) =>
    (except === "table" ||
      ((!f.childJobId || r.childJobId === f.childJobId) && (f.tableName === undefined || r.tableName === f.tableName))) &&
    (except === "code" || f.code === undefined || r.code === f.code) &&
    (except === "stage" || f.stage === undefined || r.stage === f.stage);
  const group = <K extends string>(except: Dimension, keyOf: (r: (typeof rows)[number]) => K) => {
    const sums = new Map<K, { row: (typeof rows)[number]; count: number }>();
    for (const r of rows) {
      if (!keep(r, except) || r.n <= 0) continue;
      const k = keyOf(r);
      const g = sums.get(k);
      if (g) g.count += r.n;
      else sums.set(k, { row: r, count: r.n });
    }
    return [...sums.values()];
  };
  const byCount =
    <T extends { count: number }>(name: (t: T) => string) =>
    (a: T, b: T) =>
      b.count - a.count || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
  return {
    byCode: group("code", (r) => r.code)
      .map((g) => ({ code: g.row.code, count: g.count }))
      .sort(byCount((t) => t.code))
      .slice(0, FACET_LIMITS.byCode),
    byTable: group("table", (r) => `${r.tableName}\u0000${r.childJobId}`)
      .map((g) => ({ tableName: g.row.tableName, _childJobId: g.row.childJobId, count: g.count }))
      .sort(byCount((t) => t.tableName))
      .slice(0, FACET_LIMITS.byTable),
    byStage: group("stage", (r) => r.stage)
      .map((g) => ({ stage: g.row.stage, count: g.count }))
      .sort(byCount((t) => t.stage))
      .slice(0, FACET_LIMITS.byStage),
  };
}

async function summarizeRows(db: DbOrTx, f: ErrorFilter): Promise<ErrorSummary> {
  const n = sql<number>`count(*)::int`;
  const [byCode, byTable, byStage] = await Promise.all([
    db
      .select({ code: syncErrors.code, count: n })
      .from(syncErrors)
      .where(and(...conditions(f, "code")))
      .groupBy(syncErrors.code)
      .orderBy(desc(n), asc(syncErrors.code))
      .limit(FACET_LIMITS.byCode),
    db
      .select({ tableName: syncErrors.tableName, _childJobId: syncErrors.childJobId, count: n })
      .from(syncErrors)
      .where(and(...conditions(f, "table")))
      .groupBy(syncErrors.tableName, syncErrors.childJobId)
      .orderBy(desc(n), asc(syncErrors.tableName))
      .limit(FACET_LIMITS.byTable),
    db
      .select({ stage: syncErrors.stage, count: n })
      .from(syncErrors)
      .where(and(...conditions(f, "stage")))
      .groupBy(syncErrors.stage)
      .orderBy(desc(n), asc(syncErrors.stage))
      .limit(FACET_LIMITS.byStage),
  ]);
  return { byCode, byTable, byStage };
}

/** Resolves a `tableName` filter to its table job, like the list endpoint does; null when it matches nothing. */
export async function resolveTableFilter(db: DbOrTx, f: ErrorFilter): Promise<ErrorFilter | null> {
  if (f.tableName === undefined) return f;
  const [table] = await db
    .select({ id: tableJobs.id })
    .from(tableJobs)
    .where(and(eq(tableJobs.syncJobId, f.parentJobId), eq(tableJobs.tableName, f.tableName)));
  if (!table || (f.childJobId && f.childJobId !== table.id)) return null;
  return { ...f, childJobId: table.id };
}

export type ErrorRow = typeof syncErrors.$inferSelect;

/** Every error matching the filter, oldest first, in keyset batches (constant memory for millions). */
export async function* errorBatches(db: DbOrTx, f: ErrorFilter, batchSize = 2_000): AsyncGenerator<ErrorRow[]> {
  const where = pageConditions(f);
  let after = 0;
  for (;;) {
    // Ids first from the filter's index, then the rows: see listJobErrors for why.
    const ids = db
      .select({ id: syncErrors.id })
      .from(syncErrors)
      .where(and(...where, gt(syncErrors.id, after)))
      .orderBy(asc(syncErrors.id))
      .limit(batchSize);
    const rows = await db
      .select()
      .from(syncErrors)
      .where(and(inArray(syncErrors.id, ids), ...fetchedConditions(f)))
      .orderBy(asc(syncErrors.id));
    if (rows.length) yield rows;
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1].id;
  }
}

export const CSV_COLUMNS = [
  "_id",
  "occurredAt",
  "tableName",
  "code",
  "stage",
  "scope",
  "source",
  "message",
  "recordKey",
  "_childSyncJobId",
  "_parentSyncJobId",
  "flowExecutionGroupId",
  "datasetName",
  "_datasetId",
] as const;

/**
 * One CSV field (RFC 4180 quoting). Values a spreadsheet would run as a formula get a leading
 * apostrophe: error messages carry source data, which must not execute on a support laptop.
 */
export function csvField(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(e: ErrorRow): string {
  const values = [
    String(e.id),
    e.occurredAt.toISOString(),
    e.tableName,
    e.code,
    e.stage,
    e.scope,
    e.source,
    e.message,
    e.recordKey,
    e.childJobId,
    e.parentJobId,
    e.flowExecutionGroupId,
    e.datasetName,
    e.datasetId,
  ];
  return `${values.map(csvField).join(",")}\r\n`;
}
