import { getDb } from "@/db/client";
import { notFound } from "@/lib/errors";
import { route } from "@/lib/api/handler";
import { eventStream } from "@/lib/events/sse";
import { getSyncJob } from "@/lib/jobs/queries";

export const dynamic = "force-dynamic";

/** Live events of one job: its own status changes and every table's status and progress. */
export const GET = route<{ _syncJobId: string }>({ scope: "sync:read" }, async ({ req, params, watchAccess }) => {
  const job = await getSyncJob(getDb(), params._syncJobId);
  if (!job) throw notFound("invalid_ref", `Sync job ${params._syncJobId} not found`, "_syncJobId");
  return eventStream(req.signal, (e) => e.kind !== "resync" && e.syncJobId === job.id, watchAccess);
});
