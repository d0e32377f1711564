"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect } from "react";
import { LiveDuration } from "@/components/jobs/live-duration";
import { CursorPager } from "@/components/ui/cursor-pager";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Segmented } from "@/components/ui/segmented";
import { TableSkeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { Pill, StatusBadge } from "@/components/ui/status-badge";
import { RelativeTime } from "@/components/ui/time";
import { formatNumber, shortId } from "@/lib/ui/format";
import { useCursorStack } from "@/lib/ui/hooks/use-cursor-stack";
import { useUrlFilters } from "@/lib/ui/hooks/use-url-filters";
import { fetchSyncJobs, useSyncJobs } from "@/lib/ui/hooks/use-sync-data";
import { HISTORY_PAGE_SIZE } from "@/lib/ui/constants";
import { qk } from "@/lib/ui/query-keys";

const FILTERS = [
  { value: "", label: "All" },
  { value: "completed", label: "Completed" },
  { value: "failed", label: "Failed" },
  { value: "canceled", label: "Canceled" },
  { value: "queued,running,canceling", label: "Active" },
];
const URL_KEYS = ["status"] as const;
const th = "px-3 py-2 text-xs font-medium text-zinc-600";
const td = "px-3 py-2 align-middle";

/**
 * Job history: keyset pages (a deep page costs what the first does), the status filter in the
 * URL, the previous page kept on screen while the next loads, and the next page prefetched.
 */
export function JobHistory({ syncId }: { syncId: string }) {
  const [url, setUrl] = useUrlFilters(URL_KEYS);
  const client = useQueryClient();
  // Only the tabs' own values: a hand-edited ?status= shows every job rather than an error.
  const status = FILTERS.find((f) => f.value === url.status)?.value ?? "";
  const [cursors, setCursors] = useCursorStack(status);
  const cursor = cursors.at(-1);
  const filter = { status: status || undefined, cursor, limit: HISTORY_PAGE_SIZE };
  const page = useSyncJobs(syncId, filter);

  const next = page.data?.nextCursor;
  useEffect(() => {
    if (!next) return;
    const f = { status: status || undefined, cursor: next, limit: HISTORY_PAGE_SIZE };
    void client.prefetchQuery({ queryKey: qk.syncJobsPage(syncId, f), queryFn: () => fetchSyncJobs(syncId, f) });
  }, [client, next, status, syncId]);

  const setStatus = (v: string) => setUrl({ status: v || undefined });
  const rows = page.data?.data ?? [];

  return (
    <Card
      title="Job history"
      bodyClassName="p-0"
      actions={<Segmented label="Filter jobs by status" value={status} onChange={setStatus} options={FILTERS} />}
    >
      {page.error && !page.data ? (
        <ErrorState error={page.error} onRetry={() => void page.refetch()} title="Could not load the job history" className="m-4" />
      ) : !page.data ? (
        <TableSkeleton rows={6} cols={7} label="Loading job history" />
      ) : !rows.length ? (
        <EmptyState title={status ? "No jobs with this status" : "This sync has not run yet"} className="m-4 border-none" />
      ) : (
        <div className={cn("overflow-x-auto transition-opacity", page.isPlaceholderData && "opacity-60")}>
          <table className="w-full min-w-[880px] text-[13px]">
            <caption className="sr-only">Jobs of this sync, newest first</caption>
            <thead className="border-b border-zinc-200 bg-zinc-50/60">
              <tr>
                <th scope="col" className={`${th} text-left`}>
                  Job
                </th>
                <th scope="col" className={`${th} text-left`}>
                  Status
                </th>
                <th scope="col" className={`${th} text-left`}>
                  Triggered by
                </th>
                <th scope="col" className={`${th} text-left`}>
                  Started
                </th>
                <th scope="col" className={`${th} text-left`}>
                  Duration
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Extracted
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Loaded
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Errors
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {rows.map((j) => (
                <tr key={j._id} className="hover:bg-zinc-50/80" data-testid="history-row">
                  <td className={td}>
                    <Link prefetch={false} href={`/jobs/${j._id}`} className="font-mono text-xs font-medium text-blue-700 hover:underline">
                      {shortId(j._id)}
                    </Link>
                  </td>
                  <td className={td}>
                    <span className="flex items-center gap-1.5">
                      <StatusBadge status={j.status} />
                      {j.runType === "resync" && <Pill tone="violet">Resync</Pill>}
                    </span>
                  </td>
                  <td className={`${td} max-w-48 truncate text-zinc-700`} title={j.triggeredBy}>
                    {j.triggeredBy}
                  </td>
                  <td className={`${td} whitespace-nowrap text-zinc-700`}>
                    <RelativeTime iso={j.startedAt ?? j.createdAt} past />
                  </td>
                  <td className={`${td} text-zinc-700`}>
                    <LiveDuration startedAt={j.startedAt} endedAt={j.endedAt} />
                  </td>
                  <td className={`${td} text-right tabular-nums text-zinc-700`}>{formatNumber(j.numExtractedRecords)}</td>
                  <td className={`${td} text-right tabular-nums text-zinc-700`}>{formatNumber(j.numLoadedRecords)}</td>
                  <td className={`${td} text-right tabular-nums`}>
                    {j.numErrors > 0 ? (
                      <Link prefetch={false} href={`/jobs/${j._id}/errors`} className="font-medium text-red-700 hover:underline">
                        {formatNumber(j.numErrors)}
                      </Link>
                    ) : (
                      <span className="text-zinc-600">0</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.data && rows.length > 0 && (
        <CursorPager
          cursors={cursors}
          setCursors={setCursors}
          nextCursor={next}
          pageSize={HISTORY_PAGE_SIZE}
          shown={rows.length}
          totalCount={page.data.totalCount}
          labels={{ previous: "← Newer", next: "Older →" }}
        />
      )}
    </Card>
  );
}
