import { getDb } from "@/db/client";
import { notFound } from "@/lib/errors";
import { json, parseQuery, route, settled } from "@/lib/api/handler";
import { ErrorReportQuery } from "@/lib/contracts/reports";
import { resolveTableFilter, summarizeErrors } from "@/lib/jobs/error-report";
import { getSyncJob } from "@/lib/jobs/queries";

/** Error counts of a job grouped by code, by table and by stage, under the same filters as the list. */
export const GET = route<{ _syncJobId: string }>({ scope: "sync:read" }, async ({ req, params }) => {
  const { _childJobId, ...query } = parseQuery(req, ErrorReportQuery);
  const db = getDb();
  // The job's existence and the counts in parallel (a round trip less); an unknown job's 404 still wins.
  const [job, summary] = await Promise.allSettled([
    getSyncJob(db, params._syncJobId),
    resolveTableFilter(db, { parentJobId: params._syncJobId, childJobId: _childJobId, ...query }).then((filter) =>
      filter ? summarizeErrors(db, filter) : { byCode: [], byTable: [], byStage: [] },
    ),
  ]);
  if (!settled(job)) throw notFound("invalid_ref", `Sync job ${params._syncJobId} not found`, "_parentJobId");
  return json(settled(summary));
});
