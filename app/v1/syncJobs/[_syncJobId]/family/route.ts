import { getDb } from "@/db/client";
import { notFound } from "@/lib/errors";
import { json, route } from "@/lib/api/handler";
import { presentJob, presentTable } from "@/lib/jobs/present";
import { getSyncJob, getTableJobs } from "@/lib/jobs/queries";

export const GET = route<{ _syncJobId: string }>({ scope: "sync:read" }, async ({ params }) => {
  const db = getDb();
  // The job and its tables in parallel (a round trip less).
  const [job, tables] = await Promise.all([getSyncJob(db, params._syncJobId), getTableJobs(db, params._syncJobId)]);
  if (!job) throw notFound("invalid_ref", `Sync job ${params._syncJobId} not found`, "_syncJobId");
  const now = new Date();
  return json({ ...presentJob(job, tables, now), tables: tables.map((t) => presentTable(t, now)) });
});
