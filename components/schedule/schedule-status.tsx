"use client";

import { cn } from "@/components/ui/cn";
import { formatRelative } from "@/lib/ui/format";
import { useNow } from "@/lib/ui/now";
import type { ScheduleViewT } from "./use-schedule";
import { formatInZone, hasSecondsField } from "./zone-format";

/** The saved schedule's state: active or paused, next and last run, and the last skip with its reason. */
export function ScheduleStatus({ view }: { view: ScheduleViewT | null }) {
  const now = useNow();
  if (!view) {
    return <p className="text-sm text-zinc-600">This sync has no schedule: it runs only when someone starts it.</p>;
  }
  const seconds = hasSecondsField(view.cron);
  const at = (iso: string) => (
    <>
      <time dateTime={iso} className="tabular-nums text-zinc-900">
        {formatInZone(iso, view.timezone, seconds)}
      </time>{" "}
      <span className="text-zinc-500">({formatRelative(iso, now)})</span>
    </>
  );
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm" aria-label="Schedule status">
      <dt className="text-zinc-500">Status</dt>
      <dd>
        <span
          data-testid="schedule-state"
          className={cn(
            "rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset",
            view.enabled ? "bg-emerald-50 text-emerald-800 ring-emerald-200" : "bg-zinc-100 text-zinc-700 ring-zinc-200",
          )}
        >
          {view.enabled ? "Active" : "Paused"}
        </span>
      </dd>
      <dt className="text-zinc-500">Next run</dt>
      <dd data-testid="schedule-next-run">{view.nextRunAt ? at(view.nextRunAt) : <span className="text-zinc-500">—</span>}</dd>
      <dt className="text-zinc-500">Last scheduled run</dt>
      <dd>{view.lastRunAt ? at(view.lastRunAt) : <span className="text-zinc-500">Never</span>}</dd>
      {view.lastSkippedAt && (
        <>
          <dt className="text-zinc-500">Last skipped</dt>
          <dd>
            {at(view.lastSkippedAt)}
            {view.lastSkipReason && <span className="block text-xs text-amber-800">{view.lastSkipReason}</span>}
          </dd>
        </>
      )}
    </dl>
  );
}
