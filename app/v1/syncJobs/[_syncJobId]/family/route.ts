import { getDb } from "@/db/client";
import { notFound } from "@/lib/errors";
import { json, route } from "@/lib/api/handler";
import { presentJob, presentTable } from "@/lib/jobs/present";
import { getJobFamily } from "@/lib/jobs/queries";

export const GET = route<{ _syncJobId: string }>({ scope: "sync:read" }, async ({ params }) => {
  const db = getDb();
  const family = await getJobFamily(db, params._syncJobId);
  if (!family) throw notFound("invalid_ref", `Sync job ${params._syncJobId} not found`, "_syncJobId");
  const { job, tables } = family;
  const now = new Date();
  return json({ ...presentJob(job, tables, now), tables: tables.map((t) => presentTable(t, now)) });
});
