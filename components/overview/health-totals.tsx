import { cn } from "@/components/ui/cn";
import { formatNumber } from "@/lib/ui/format";
import { BUCKETS, type Health } from "./health-buckets";

/** All syncs of all integrations by state: the first line to read in the morning. */
export function HealthTotals({ totals }: { totals: Health }) {
  return (
    <section aria-labelledby="health-heading">
      <h2 id="health-heading" className="sr-only">
        Syncs by state
      </h2>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-5" data-testid="health-totals">
        {BUCKETS.map((b) => (
          <div key={b.key} className="rounded-lg border border-zinc-200 bg-white px-3 py-2" title={b.help} data-bucket={b.key}>
            <dt className="flex items-center gap-1.5 text-xs text-zinc-600">
              <span className={cn("size-2 rounded-full", b.dot)} aria-hidden />
              {b.label}
            </dt>
            <dd
              className={cn(
                "mt-0.5 text-xl font-semibold tabular-nums",
                totals[b.key] > 0 && b.key === "failing" ? b.text : "text-zinc-900",
              )}
            >
              {formatNumber(totals[b.key])}
              {b.key === "healthy" && totals.withRecordErrors > 0 && (
                <span className="ml-2 text-xs font-normal text-amber-800">{formatNumber(totals.withRecordErrors)} with record errors</span>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
