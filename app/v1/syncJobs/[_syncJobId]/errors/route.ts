import { getDb } from "@/db/client";
import { notFound } from "@/lib/errors";
import { json, parseQuery, route, settled } from "@/lib/api/handler";
import { SyncErrorsQuery } from "@/lib/contracts/jobs";
import { presentError } from "@/lib/jobs/present";
import { getSyncJob, listJobErrors } from "@/lib/jobs/queries";

/** The folder is named [_syncJobId] (shared with its siblings); the seed calls this one `_parentJobId`. */
export const GET = route<{ _syncJobId: string }>({ scope: "sync:read" }, async ({ req, params }) => {
  const query = parseQuery(req, SyncErrorsQuery);
  const db = getDb();
  const { _childJobId, ...rest } = query;
  // The job's existence and the page in parallel (a round trip less); an unknown job's 404 still wins.
  const [parent, listed] = await Promise.allSettled([
    getSyncJob(db, params._syncJobId),
    listJobErrors(db, { parentJobId: params._syncJobId, childJobId: _childJobId, ...rest }),
  ]);
  if (!settled(parent)) throw notFound("invalid_ref", `Sync job ${params._syncJobId} not found`, "_parentJobId");
  const page = settled(listed);
  const headers: Record<string, string> = { "x-total-count": String(page.totalCount) };
  if (page.nextCursor) headers["x-next-cursor"] = page.nextCursor;
  return json(page.rows.map(presentError), { headers });
});
