import { getDb } from "@/db/client";
import { notFound } from "@/lib/errors";
import { json, noContent, route } from "@/lib/api/handler";
import { presentJob } from "@/lib/jobs/present";
import { latestJobsForIntegration, tableProgressFor } from "@/lib/jobs/queries";

export const GET = route<{ _integrationId: string }>({ scope: "sync:read" }, async ({ params }) => {
  const db = getDb();
  const latest = await latestJobsForIntegration(db, params._integrationId);
  if (latest.kind === "missing_integration") {
    throw notFound("sync_job_missing_integration", `Integration ${params._integrationId} not found`, "_integrationId");
  }
  if (latest.kind === "no_syncs") {
    throw notFound("sync_job_invalid_integration_id", "The integration has no syncs", "_integrationId");
  }
  if (!latest.rows.length) return noContent();
  const progress = await tableProgressFor(db, latest.rows);
  return json(latest.rows.map((row) => presentJob(row, progress.get(row.id))));
});
