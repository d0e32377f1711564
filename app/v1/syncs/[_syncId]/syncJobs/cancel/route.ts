import { getDb } from "@/db/client";
import { notFound } from "@/lib/errors";
import { noContent, route } from "@/lib/api/handler";
import { actorFromPrincipal } from "@/lib/audit";
import { actorOf } from "@/lib/auth/principal";
import { cancelSyncJobs } from "@/lib/jobs/cancel";
import { syncExists } from "@/lib/jobs/queries";

export const PUT = route<{ _syncId: string }>({ scope: "sync:write" }, async ({ params, principal }) => {
  const db = getDb();
  if (!(await syncExists(db, params._syncId))) throw notFound("invalid_ref", `Sync ${params._syncId} not found`, "_syncId");
  const canceled = await cancelSyncJobs(db, params._syncId, actorOf(principal), actorFromPrincipal(principal));
  if (!canceled) throw notFound("sync_jobs_not_found", "The sync has no queued or running job to cancel");
  return noContent();
});
