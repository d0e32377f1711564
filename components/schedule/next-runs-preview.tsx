"use client";

import { useMemo } from "react";
import { nextRuns } from "@/lib/scheduler/next-run";
import { formatRelative } from "@/lib/ui/format";
import { useNow } from "@/lib/ui/now";
import { formatInZone, hasSecondsField } from "./zone-format";

/**
 * The next five slots of a (valid) cron in its zone, computed in the browser by the same croner
 * rules the scheduler uses, so what is previewed is what will fire (DST gaps included).
 */
export function NextRunsPreview({ cron, timezone, enabled }: { cron: string; timezone: string; enabled: boolean }) {
  const now = useNow();
  // Recompute when a slot passes, not on every tick of the clock.
  const second = Math.floor(now / 1000);
  const runs = useMemo(() => {
    try {
      return nextRuns(cron, timezone, new Date(second * 1000), 5);
    } catch {
      return [];
    }
  }, [cron, timezone, second]);
  const seconds = hasSecondsField(cron);

  return (
    <section aria-labelledby="next-runs-heading" className="space-y-1.5">
      <h3 id="next-runs-heading" className="text-sm font-medium text-zinc-800">
        Next runs <span className="font-normal text-zinc-500">in {timezone}</span>
      </h3>
      {runs.length === 0 ? (
        <p className="text-sm text-zinc-500">No upcoming runs for this expression.</p>
      ) : (
        <ol aria-label="Next runs" className={enabled ? "space-y-0.5" : "space-y-0.5 opacity-60"}>
          {runs.map((run) => (
            <li key={run.toISOString()} className="flex items-baseline justify-between gap-3 text-sm tabular-nums">
              <time dateTime={run.toISOString()} className="text-zinc-900">
                {formatInZone(run, timezone, seconds)}
              </time>
              <span className="text-xs text-zinc-500">{formatRelative(run.toISOString(), now)}</span>
            </li>
          ))}
        </ol>
      )}
      {!enabled && <p className="text-xs text-zinc-500">Paused: these slots will not fire until the schedule is enabled.</p>}
    </section>
  );
}
