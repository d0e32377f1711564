import { getDb } from "@/db/client";
import { notFound } from "@/lib/errors";
import { json, parseQuery, route } from "@/lib/api/handler";
import { ErrorReportQuery } from "@/lib/contracts/reports";
import { resolveTableFilter, summarizeErrors } from "@/lib/jobs/error-report";
import { getSyncJob } from "@/lib/jobs/queries";

/** Error counts of a job grouped by code, by table and by stage, under the same filters as the list. */
export const GET = route<{ _syncJobId: string }>({ scope: "sync:read" }, async ({ req, params }) => {
  const { _childJobId, ...query } = parseQuery(req, ErrorReportQuery);
  const db = getDb();
  const job = await getSyncJob(db, params._syncJobId);
  if (!job) throw notFound("invalid_ref", `Sync job ${params._syncJobId} not found`, "_parentJobId");
  const filter = await resolveTableFilter(db, { parentJobId: job.id, childJobId: _childJobId, ...query });
  if (!filter) return json({ byCode: [], byTable: [], byStage: [] });
  return json(await summarizeErrors(db, filter));
});
