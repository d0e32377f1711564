"use client";

import Link from "next/link";
import { useState } from "react";
import { JobActions } from "@/components/jobs/job-actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton, TableSkeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/states";
import { StatusBadge } from "@/components/ui/status-badge";
import { RelativeTime } from "@/components/ui/time";
import { useMarkCurrentIntegration } from "@/lib/ui/current-integration";
import { formatNumber, shortId } from "@/lib/ui/format";
import { useIntegration } from "@/lib/ui/hooks/use-integration-data";
import { useRunSync } from "@/lib/ui/hooks/use-job-actions";
import { useFamily } from "@/lib/ui/hooks/use-job-data";
import { useLiveEvents } from "@/lib/ui/hooks/use-live-events";
import { useSync } from "@/lib/ui/hooks/use-sync-data";
import { useCanWrite } from "@/lib/ui/session";
import { type FamilyT, isActive, type SyncT } from "@/lib/ui/types";
import { JobSummary } from "./job-summary";
import { TableJobs } from "./table-jobs";

export function JobView({ jobId }: { jobId: string }) {
  useLiveEvents(`/v1/syncJobs/${jobId}/events`);
  const family = useFamily(jobId);
  const job = family.data;
  const sync = useSync(job?._syncId ?? "");
  const integration = useIntegration(job?._integrationId ?? "");
  useMarkCurrentIntegration(job?._integrationId);

  if (family.error && !job)
    return <ErrorState error={family.error} onRetry={() => void family.refetch()} title="Could not load this job" />;
  if (!job) return <JobSkeleton />;

  return (
    <>
      <PageHeader
        crumbs={[
          { label: integration.data?.name ?? "Integration", href: `/integrations/${job._integrationId}` },
          { label: sync.data?.name ?? "Sync", href: `/syncs/${job._syncId}` },
          { label: "Jobs" },
        ]}
        title={
          <span className="flex items-center gap-2">
            Job <span className="font-mono text-base text-zinc-700">{shortId(job._id)}</span>
            <StatusBadge status={job.status} />
          </span>
        }
        meta={
          <>
            <span>
              Created <RelativeTime iso={job.createdAt} past />
            </span>
            <span>by {job.triggeredBy}</span>
            {family.error && <span className="text-red-700">Refresh failed: {family.error.message}</span>}
          </>
        }
        actions={
          <>
            <Link
              prefetch={false}
              href={`/jobs/${job._id}/errors`}
              className="inline-flex h-7 items-center rounded-md border border-zinc-300 bg-white px-2.5 text-[13px] font-medium text-zinc-800 hover:bg-zinc-50"
            >
              Errors ({formatNumber(job.numErrors)})
            </Link>
            {sync.data && <RerunFailed job={job} sync={sync.data} />}
            {sync.data && isActive(job.status) && <JobActions sync={sync.data} activeJob={job} size="sm" />}
          </>
        }
      />
      <div className="space-y-5">
        <JobSummary job={job} />
        <TableJobs job={job} />
      </div>
    </>
  );
}

/** The answer to "let me retry only what failed": one click, with the table list confirmed. */
function RerunFailed({ job, sync }: { job: FamilyT; sync: SyncT }) {
  const canWrite = useCanWrite();
  const run = useRunSync();
  const [open, setOpen] = useState(false);
  const failed = job.tables.filter((t) => t.status === "failed" || t.status === "canceled").map((t) => t.tableName);
  if (!canWrite || isActive(job.status) || !failed.length) return null;
  const known = failed.filter((t) => sync.tables.includes(t));
  const failedCount = job.tables.filter((t) => t.status === "failed" && known.includes(t.tableName)).length;
  const what = failedCount === known.length ? "failed" : failedCount === 0 ? "canceled" : "unfinished";
  // Tables taken out of the sync since (Edit → Change tables) cannot be run again: say so, by name.
  const removed = failed.filter((t) => !known.includes(t));
  const removedNote = removed.length > 0 && (
    <span className="text-xs text-zinc-600" data-testid="rerun-removed">
      {removed.join(", ")} {removed.length === 1 ? "is" : "are"} no longer part of this sync
      {known.length ? "" : ", so there is nothing to re-run"}.
    </span>
  );
  if (!known.length) return removedNote;
  return (
    <>
      <Button size="sm" variant="primary" onClick={() => setOpen(true)} disabled={sync.disabled}>
        Re-run {known.length} {what} table{known.length === 1 ? "" : "s"}
      </Button>
      {removedNote}
      {sync.disabled && <span className="text-xs text-zinc-600">This sync is disabled: enable it to run again.</span>}
      <ConfirmDialog
        open={open}
        title={`Re-run ${known.length} table${known.length === 1 ? "" : "s"}?`}
        description={
          <>
            A normal run of only these tables, from their checkpoints:
            <span className="mt-2 block max-h-32 overflow-y-auto font-mono text-xs text-zinc-800">{known.join(", ")}</span>
          </>
        }
        confirmLabel="Run these tables"
        pending={run.isPending}
        onClose={() => setOpen(false)}
        onConfirm={() =>
          run.mutate(
            { syncId: sync._id, integrationId: sync._integrationId, runType: "normal", tables: known, syncName: sync.name },
            { onSettled: () => setOpen(false) },
          )
        }
      />
    </>
  );
}

function JobSkeleton() {
  return (
    <div role="status" aria-label="Loading job">
      <Skeleton className="mb-2 h-3 w-48" />
      <Skeleton className="mb-6 h-6 w-72" />
      <Skeleton className="mb-5 h-40 w-full" />
      <TableSkeleton rows={8} cols={8} label="Loading tables" />
    </div>
  );
}
