"use client";

import { LiveDuration } from "@/components/jobs/live-duration";
import { Card, Field } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Pill, StatusBadge } from "@/components/ui/status-badge";
import { DateTime, RelativeTime } from "@/components/ui/time";
import { formatNumber } from "@/lib/ui/format";
import { type FamilyT, isActive } from "@/lib/ui/types";

/** The parent job: who, when, how long, how much, and why it failed. */
export function JobSummary({ job }: { job: FamilyT }) {
  const active = isActive(job.status);
  // The job keeps one table's reason; when several failed, each says its own below.
  const failed = job.tables.filter((t) => t.status === "failed");
  return (
    <Card title="Summary">
      {job.status === "failed" && job.errorMessage && (
        <div role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-[13px] text-red-900">
          <span className="font-medium">Failed: </span>
          {failed.length > 1 ? (
            <span className="break-words">
              {failed.length} tables failed ({failed.map((t) => t.tableName).join(", ")}); each table below says why.
            </span>
          ) : (
            <span className="whitespace-pre-wrap break-words">{job.errorMessage}</span>
          )}
        </div>
      )}
      {active && job.status !== "queued" && (
        <div className="mb-4 flex items-center gap-3">
          <ProgressBar value={job.progress?.percentage} label="Job progress" className="h-2 max-w-xl" />
          <span className="text-xs tabular-nums text-zinc-700">
            {job.progress?.percentage !== undefined ? `${job.progress.percentage.toFixed(1)}%` : "estimating…"}
          </span>
          {job.estimatedCompletion && (
            <span className="text-xs text-zinc-600">
              ETA <RelativeTime iso={job.estimatedCompletion} />
            </span>
          )}
        </div>
      )}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-3 lg:grid-cols-6">
        <Field label="Status">
          <StatusBadge status={job.status} />
        </Field>
        <Field label="Run type">{job.runType === "resync" ? <Pill tone="violet">Full resync</Pill> : "Normal (delta)"}</Field>
        <Field label="Triggered by">
          <span title={job.triggeredBy}>{job.triggeredBy}</span>
        </Field>
        <Field label="Canceled by">{job.canceledBy ?? <span className="text-zinc-500">—</span>}</Field>
        <Field label="Duration">
          <LiveDuration startedAt={job.startedAt} endedAt={job.endedAt} />
        </Field>
        <Field label="Tables synced">
          {formatNumber(job.numTablesSynced)} / {formatNumber(job.tables.length)}
        </Field>
        <Field label="Created">
          <DateTime iso={job.createdAt} />
        </Field>
        <Field label="Started">
          <DateTime iso={job.startedAt} fallback={active ? "waiting for a worker" : "—"} />
        </Field>
        <Field label="Ended">
          <DateTime iso={job.endedAt} />
        </Field>
        <Field label="Extracted">{formatNumber(job.numExtractedRecords)}</Field>
        <Field label="Loaded">{formatNumber(job.numLoadedRecords)}</Field>
        <Field label="Inserted">{formatNumber(job.numInsertedRecords)}</Field>
        <Field label="Updated">{formatNumber(job.numUpdatedRecords)}</Field>
        <Field label="Deleted">{formatNumber(job.numDeletedRecords)}</Field>
        <Field label="Errors">
          <span className={job.numErrors > 0 ? "font-medium text-red-700" : undefined}>{formatNumber(job.numErrors)}</span>
        </Field>
        <Field label="Flow execution group" className="col-span-2 sm:col-span-3">
          <span className="flex items-center gap-1">
            <code className="truncate font-mono text-xs text-zinc-800">{job.flowExecutionGroupId}</code>
            <CopyButton
              text={job.flowExecutionGroupId}
              label="Copy"
              aria-label="Copy flow execution group id"
              copiedMessage="Flow execution group id copied"
            />
          </span>
        </Field>
        <Field label="Job id" className="col-span-2 sm:col-span-3">
          <span className="flex items-center gap-1">
            <code className="truncate font-mono text-xs text-zinc-800">{job._id}</code>
            <CopyButton text={job._id} label="Copy" aria-label="Copy job id" copiedMessage="Job id copied" />
          </span>
        </Field>
      </dl>
    </Card>
  );
}
