import { getDb } from "@/db/client";
import { notFound } from "@/lib/errors";
import { json, parseQuery, route, settled } from "@/lib/api/handler";
import { SyncJobsQuery } from "@/lib/contracts/jobs";
import { presentJob } from "@/lib/jobs/present";
import { listSyncJobs, syncExists, tableProgressFor } from "@/lib/jobs/queries";

export const GET = route<{ _syncId: string }>({ scope: "sync:read" }, async ({ req, params }) => {
  const query = parseQuery(req, SyncJobsQuery);
  const db = getDb();
  // The sync's existence and the page in parallel (a round trip less); an unknown sync's 404 still wins.
  const [found, listed] = await Promise.allSettled([
    syncExists(db, params._syncId),
    listSyncJobs(db, { syncId: params._syncId, ...query, statuses: query.status }),
  ]);
  if (!settled(found)) throw notFound("invalid_ref", `Sync ${params._syncId} not found`, "_syncId");
  const page = settled(listed);
  const progress = await tableProgressFor(db, page.rows);
  return json({
    data: page.rows.map((row) => presentJob(row, progress.get(row.id))),
    totalCount: page.totalCount,
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  });
});
