import { RelativeTime } from "@/components/ui/time";
import type { SyncT } from "@/lib/ui/types";

export function NextRun({ schedule }: { schedule: SyncT["schedule"] }) {
  if (!schedule) return <span className="text-zinc-500">Manual</span>;
  if (!schedule.enabled) return <span className="text-amber-700">Paused</span>;
  if (!schedule.nextRunAt) return <span className="text-zinc-500">—</span>;
  return (
    <span title={`${schedule.cron} (${schedule.timezone})`}>
      <RelativeTime iso={schedule.nextRunAt} />
    </span>
  );
}
