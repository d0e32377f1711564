import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { shortId } from "@/lib/ui/format";
import type { ScheduleViewT } from "./use-schedule";
import { formatInZone } from "./zone-format";

const OUTCOMES: Record<string, { label: string; tone: string }> = {
  fired: { label: "Fired", tone: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  skipped_active: { label: "Skipped: a job was still active", tone: "bg-amber-50 text-amber-800 ring-amber-200" },
  skipped_disabled: { label: "Skipped: sync disabled", tone: "bg-zinc-100 text-zinc-700 ring-zinc-200" },
  skipped_error: { label: "Skipped: could not start", tone: "bg-red-50 text-red-800 ring-red-200" },
};

/** What happened at each recent slot, so a skipped run is visible rather than silently missing. */
export function ScheduleEvents({ view }: { view: ScheduleViewT }) {
  const events = view.recentEvents;
  return (
    <section aria-labelledby="schedule-events-heading" className="space-y-1.5">
      <h3 id="schedule-events-heading" className="text-sm font-medium text-zinc-800">
        Recent slots
      </h3>
      {events.length === 0 ? (
        <p className="text-sm text-zinc-500">Nothing has fired yet.</p>
      ) : (
        <ul aria-label="Recent slots" className="divide-y divide-zinc-100 rounded-md border border-zinc-200">
          {events.map((e) => {
            const outcome = OUTCOMES[e.outcome] ?? { label: e.outcome, tone: "bg-zinc-100 text-zinc-700 ring-zinc-200" };
            return (
              <li key={e.slotAt} className="flex flex-wrap items-center justify-between gap-2 px-3 py-1.5 text-sm">
                <time dateTime={e.slotAt} className="tabular-nums text-zinc-800">
                  {formatInZone(e.slotAt, view.timezone, new Date(e.slotAt).getUTCSeconds() !== 0)}
                </time>
                <span className="flex items-center gap-2">
                  <span className={cn("rounded px-1.5 py-0.5 text-xs ring-1 ring-inset", outcome.tone)}>{outcome.label}</span>
                  {e._syncJobId && (
                    <Link
                      prefetch={false}
                      href={`/jobs/${e._syncJobId}`}
                      className="font-mono text-xs text-zinc-600 underline hover:text-zinc-900"
                    >
                      {shortId(e._syncJobId)}
                    </Link>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
