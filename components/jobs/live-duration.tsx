"use client";

import { formatDuration, secondsBetween } from "@/lib/ui/format";
import { useNow } from "@/lib/ui/now";

/** A job's duration; ticks every second while it has started and not ended. */
export function LiveDuration({ startedAt, endedAt }: { startedAt?: string; endedAt?: string }) {
  const running = !!startedAt && !endedAt;
  const now = useNow(running);
  const s = secondsBetween(startedAt, endedAt, now);
  return (
    <span className="tabular-nums" suppressHydrationWarning>
      {formatDuration(s)}
    </span>
  );
}
