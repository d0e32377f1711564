"use client";

import Link from "next/link";
import { memo, useSyncExternalStore } from "react";
import { JobActions } from "@/components/jobs/job-actions";
import { JobStatusCell } from "@/components/jobs/job-status-cell";
import { LiveDuration } from "@/components/jobs/live-duration";
import { Pill } from "@/components/ui/status-badge";
import { RelativeTime } from "@/components/ui/time";
import { formatNumber } from "@/lib/ui/format";
import type { SyncJobT, SyncT } from "@/lib/ui/types";
import { NextRun } from "./next-run";

const td = "px-3 py-2.5 align-middle";
/** Columns a phone can do without: the sync page has them all. */
const wide = "hidden lg:table-cell";

/** Tailwind's `sm` breakpoint, below which the actions column is hidden. */
const PHONE = "(max-width: 639.98px)";
const onWidthChange = (notify: () => void) => {
  const mq = window.matchMedia(PHONE);
  mq.addEventListener("change", notify);
  return () => mq.removeEventListener("change", notify);
};
/**
 * Whether the viewport is phone-wide; false on the server and during hydration. The phone's copy of
 * a row's actions is rendered only then: rendering both copies in every row doubled the page's
 * markup and the buttons and dialogs React hydrates (40 syncs: 80 action bars). Buttons do nothing
 * before hydration anyway, so a phone loses nothing by getting its copy right after it.
 */
const useIsPhone = () =>
  useSyncExternalStore(
    onWidthChange,
    () => window.matchMedia(PHONE).matches,
    () => false,
  );

/** One sync: its latest job, when and how it went, what is next, and what you can do. */
export const SyncRow = memo(function SyncRow({ sync, job }: { sync: SyncT; job?: SyncJobT }) {
  const phone = useIsPhone();
  return (
    <tr className="group hover:bg-zinc-50/80" data-testid="sync-row" data-sync-id={sync._id}>
      <td className={`${td} max-w-72`}>
        <div className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
          <Link prefetch={false} href={`/syncs/${sync._id}`} className="break-words font-medium text-zinc-900 hover:underline">
            {sync.name}
          </Link>
          {sync.disabled && <Pill tone="amber">Disabled</Pill>}
        </div>
        {sync.description && <p className="mt-0.5 text-xs text-zinc-700">{sync.description}</p>}
        <div className="mt-0.5 break-words text-xs text-zinc-600">
          {sync.source.type} → {sync.destination.schema} · {sync.tables.length} table{sync.tables.length === 1 ? "" : "s"}
        </div>
        {/* On a phone the actions sit under the name instead of in a column of their own. */}
        {phone && (
          <div className="mt-2 sm:hidden">
            <JobActions sync={sync} activeJob={job} />
          </div>
        )}
      </td>
      <td className={td}>{job ? <JobStatusCell job={job} label={sync.name} /> : <span className="text-zinc-600">Never run</span>}</td>
      <td className={`${td} ${wide} whitespace-nowrap text-zinc-700`}>
        {job ? <RelativeTime iso={job.startedAt ?? job.createdAt} past /> : <span className="text-zinc-500">—</span>}
      </td>
      <td className={`${td} ${wide} whitespace-nowrap text-zinc-700`}>
        {job ? <LiveDuration startedAt={job.startedAt} endedAt={job.endedAt} /> : "—"}
      </td>
      <td className={`${td} ${wide} text-right tabular-nums text-zinc-700`}>{job ? formatNumber(job.numExtractedRecords) : "—"}</td>
      <td className={`${td} ${wide} text-right tabular-nums text-zinc-700`}>{job ? formatNumber(job.numLoadedRecords) : "—"}</td>
      <td className={`${td} hidden text-right tabular-nums sm:table-cell`}>
        {job && job.numErrors > 0 ? (
          <Link prefetch={false} href={`/jobs/${job._id}/errors`} className="font-medium text-red-700 hover:underline">
            {formatNumber(job.numErrors)}
          </Link>
        ) : (
          <span className="text-zinc-600">{job ? "0" : "—"}</span>
        )}
      </td>
      <td className={`${td} ${wide} whitespace-nowrap text-zinc-700`}>
        <NextRun schedule={sync.schedule} />
      </td>
      <td className={`${td} hidden text-right sm:table-cell`}>{!phone && <JobActions sync={sync} activeJob={job} />}</td>
    </tr>
  );
});
