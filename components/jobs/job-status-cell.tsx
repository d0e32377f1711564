import Link from "next/link";
import { Pill, StatusBadge } from "@/components/ui/status-badge";
import { ProgressBar } from "@/components/ui/progress-bar";
import { isActive, type SyncJobT } from "@/lib/ui/types";

/** Status badge, run type and, while running, a progress bar: the latest job of a sync at a glance. */
export function JobStatusCell({ job, label }: { job: SyncJobT; label: string }) {
  const pct = job.progress?.percentage;
  return (
    <div className="min-w-36">
      <div className="flex items-center gap-1.5">
        <Link
          prefetch={false}
          href={`/jobs/${job._id}`}
          className="rounded-full hover:opacity-80"
          aria-label={`${label}: ${job.status}, open job`}
        >
          <StatusBadge status={job.status} />
        </Link>
        {job.runType === "resync" && <Pill tone="violet">Resync</Pill>}
      </div>
      {isActive(job.status) && job.status !== "queued" && (
        <div className="mt-1.5 flex items-center gap-2">
          <ProgressBar value={pct} label={`${label} progress`} className="w-24" />
          <span className="text-[11px] tabular-nums text-zinc-600">{pct === undefined ? "…" : `${pct.toFixed(0)}%`}</span>
        </div>
      )}
    </div>
  );
}
