import { getDb } from "@/db/client";
import { notFound } from "@/lib/errors";
import { json, parseQuery, route } from "@/lib/api/handler";
import { SyncJobsQuery } from "@/lib/contracts/jobs";
import { presentJob } from "@/lib/jobs/present";
import { listSyncJobs, syncExists, tableProgressFor } from "@/lib/jobs/queries";

export const GET = route<{ _syncId: string }>({ scope: "sync:read" }, async ({ req, params }) => {
  const query = parseQuery(req, SyncJobsQuery);
  const db = getDb();
  if (!(await syncExists(db, params._syncId))) throw notFound("invalid_ref", `Sync ${params._syncId} not found`, "_syncId");
  const page = await listSyncJobs(db, { syncId: params._syncId, ...query, statuses: query.status });
  const progress = await tableProgressFor(db, page.rows);
  return json({
    data: page.rows.map((row) => presentJob(row, progress.get(row.id))),
    totalCount: page.totalCount,
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  });
});
