import { ACTIVE_STATUSES } from "@/db/schema";
import { getDb } from "@/db/client";
import { isDomainError } from "@/lib/errors";
import { actorFromPrincipal } from "@/lib/audit";
import { json, parseBody, parseQuery, route } from "@/lib/api/handler";
import { actorOf } from "@/lib/auth/principal";
import { SyncRunQuery, SyncRunRequest } from "@/lib/contracts/jobs";
import { presentJob } from "@/lib/jobs/present";
import { getSyncJob, tableProgressFor } from "@/lib/jobs/queries";
import { triggerRun } from "@/lib/jobs/trigger";

export const POST = route<{ _syncId: string }>({ scope: "sync:write" }, async ({ req, params, principal }) => {
  const { ifActive } = parseQuery(req, SyncRunQuery);
  const body = await parseBody(req, SyncRunRequest);
  const db = getDb();
  const input = {
    syncId: params._syncId,
    runType: body.runType ?? "normal",
    tables: body.tables,
    triggeredBy: actorOf(principal),
    actor: actorFromPrincipal(principal),
  };
  // With ?ifActive=return a conflict answers with the active job. The active job can finish between
  // the conflict and the read; then the trigger is simply tried once more.
  for (let attempt = 0; ; attempt++) {
    try {
      const job = await triggerRun(db, input);
      return json({ syncId: job.syncId, flowExecutionGroupId: job.flowExecutionGroupId, _syncJobId: job.id });
    } catch (e) {
      if (ifActive !== "return" || !isDomainError(e, "sync_job_already_queued")) throw e;
      const active = await getSyncJob(db, String(e.details._syncJobId ?? ""));
      if (active && (ACTIVE_STATUSES as readonly string[]).includes(active.status)) {
        const progress = await tableProgressFor(db, [active]);
        return json({ ...presentJob(active, progress.get(active.id)), alreadyActive: true }, { status: 202 });
      }
      if (attempt >= 2) throw e;
    }
  }
});
