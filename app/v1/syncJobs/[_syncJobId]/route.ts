import { getDb } from "@/db/client";
import { notFound } from "@/lib/errors";
import { json, route } from "@/lib/api/handler";
import { presentJob } from "@/lib/jobs/present";
import { getSyncJob, tableProgressFor } from "@/lib/jobs/queries";

export const GET = route<{ _syncJobId: string }>({ scope: "sync:read" }, async ({ params }) => {
  const db = getDb();
  const job = await getSyncJob(db, params._syncJobId);
  if (!job) throw notFound("invalid_ref", `Sync job ${params._syncJobId} not found`, "_syncJobId");
  const progress = await tableProgressFor(db, [job]);
  return json(presentJob(job, progress.get(job.id)));
});
