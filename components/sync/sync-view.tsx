"use client";

import { JobActions } from "@/components/jobs/job-actions";
import { ScheduleEditor } from "@/components/schedule/schedule-editor";
import { PageHeader } from "@/components/ui/page-header";
import { TableSkeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/states";
import { Pill, StatusBadge } from "@/components/ui/status-badge";
import { useMarkCurrentIntegration } from "@/lib/ui/current-integration";
import { useIntegration } from "@/lib/ui/hooks/use-integration-data";
import { useLiveEvents } from "@/lib/ui/hooks/use-live-events";
import { useSync } from "@/lib/ui/hooks/use-sync-data";
import { plural } from "@/lib/ui/format";
import { ApiClientError } from "@/lib/ui/api-client";
import { useCanWrite } from "@/lib/ui/session";
import { JobHistory } from "./job-history";
import { ReplicationStatus } from "./replication-status";
import { SyncSettings } from "./sync-settings";
import { SyncTables } from "./sync-tables";
import { TrendChart } from "./trend-chart";

export function SyncView({ syncId }: { syncId: string }) {
  useLiveEvents(`/v1/events?syncId=${syncId}`);
  const sync = useSync(syncId);
  const integration = useIntegration(sync.data?._integrationId ?? "");
  const canWrite = useCanWrite();
  useMarkCurrentIntegration(sync.data?._integrationId);

  // A 404 means gone, even with a copy of the page still in the cache (Back after deleting it).
  const gone = sync.error instanceof ApiClientError && sync.error.status === 404;
  if (sync.error && (!sync.data || gone))
    return (
      <ErrorState
        error={sync.error}
        onRetry={() => void sync.refetch()}
        title={gone ? "This sync does not exist (any more)" : "Could not load this sync"}
      />
    );
  if (!sync.data) return <TableSkeleton rows={4} cols={4} label="Loading sync" />;
  const s = sync.data;

  return (
    <>
      <PageHeader
        crumbs={[{ label: integration.data?.name ?? "Integration", href: `/integrations/${s._integrationId}` }, { label: "Syncs" }]}
        title={
          <span className="flex items-center gap-2">
            {s.name}
            {s.disabled && <Pill tone="amber">Disabled</Pill>}
            {s.latestJob && <StatusBadge status={s.latestJob.status} />}
          </span>
        }
        meta={
          <>
            {s.description && (
              <span className="basis-full text-[13px] text-zinc-700" data-testid="sync-description">
                {s.description}
              </span>
            )}
            <span>
              Source <span className="font-medium text-zinc-800">{s.source.type}</span>
            </span>
            <span>
              Destination schema <code className="font-mono text-zinc-800">{s.destination.schema}</code>
            </span>
            <span>{plural(s.tables.length, "table")}</span>
          </>
        }
        actions={<JobActions sync={s} activeJob={s.latestJob} size="sm" />}
      />
      <div className="space-y-5">
        <div className="grid items-start gap-5 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <div className="min-w-0 space-y-5">
            <TrendChart syncId={s._id} />
            <SyncTables sync={s} />
            {s.source.type === "postgres" && s.source.replication === "logical" && <ReplicationStatus syncId={s._id} />}
            <SyncSettings sync={s} canWrite={canWrite} />
          </div>
          {/* Schedule editor slot — owned by the scheduler engineer (components/schedule/**). */}
          <ScheduleEditor syncId={s._id} canEdit={canWrite} hasSchedule={!!s.schedule} />
        </div>
        {/* No Suspense boundary here (nor a loading.tsx above): React reveals a streamed boundary no sooner than
            300 ms after the previous paint, so each one held the history back by that much on a first load. */}
        <JobHistory syncId={s._id} />
      </div>
    </>
  );
}
