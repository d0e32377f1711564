import { getDb } from "@/db/client";
import { notFound } from "@/lib/errors";
import { json, parseQuery, route } from "@/lib/api/handler";
import { SyncErrorsQuery } from "@/lib/contracts/jobs";
import { presentError } from "@/lib/jobs/present";
import { getSyncJob, listJobErrors } from "@/lib/jobs/queries";

/** The folder is named [_syncJobId] (shared with its siblings); the seed calls this one `_parentJobId`. */
export const GET = route<{ _syncJobId: string }>({ scope: "sync:read" }, async ({ req, params }) => {
  const query = parseQuery(req, SyncErrorsQuery);
  const db = getDb();
  const parent = await getSyncJob(db, params._syncJobId);
  if (!parent) throw notFound("invalid_ref", `Sync job ${params._syncJobId} not found`, "_parentJobId");
  const { _childJobId, ...rest } = query;
  const page = await listJobErrors(db, { parentJobId: parent.id, childJobId: _childJobId, ...rest });
  const headers: Record<string, string> = { "x-total-count": String(page.totalCount) };
  if (page.nextCursor) headers["x-next-cursor"] = page.nextCursor;
  return json(page.rows.map(presentError), { headers });
});
