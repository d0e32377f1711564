import { getDb } from "@/db/client";
import { TERMINAL_STATUSES } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { route } from "@/lib/api/handler";
import { eventStream } from "@/lib/events/sse";
import { getSyncJob } from "@/lib/jobs/queries";

export const dynamic = "force-dynamic";

const ended = (status: string | undefined) => (TERMINAL_STATUSES as readonly (string | undefined)[]).includes(status);

/**
 * Live events of one job: its own status changes and every table's status and progress. The stream
 * ends with `event: end` after the job's final status, at once for a job that has already ended.
 */
export const GET = route<{ _syncJobId: string }>({ scope: "sync:read" }, async ({ req, params, watchAccess }) => {
  const job = await getSyncJob(getDb(), params._syncJobId);
  if (!job) throw notFound("invalid_ref", `Sync job ${params._syncJobId} not found`, "_syncJobId");
  return eventStream(req.signal, (e) => e.kind !== "resync" && e.syncJobId === job.id, watchAccess, {
    isLast: (e) => e.kind === "job" && ended(e.status),
    ended: async () => {
      const now = ended(job.status) ? job : await getSyncJob(getDb(), job.id);
      return now && ended(now.status)
        ? { kind: "job", syncJobId: now.id, syncId: now.syncId, integrationId: now.integrationId, status: now.status }
        : null;
    },
  });
});
