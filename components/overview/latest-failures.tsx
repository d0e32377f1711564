import Link from "next/link";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Pill } from "@/components/ui/status-badge";
import { RelativeTime } from "@/components/ui/time";
import type { OverviewT } from "@/lib/contracts/overview";
import { plural } from "@/lib/ui/format";

type Failure = OverviewT["latestFailures"][number];

/**
 * One row per sync of the newest failed jobs (they come newest first): its latest failed job, with
 * how many earlier ones of it the list held. Syncs still failing come first, then those that
 * completed a run since; each group newest first.
 */
export function failuresBySync(failures: Failure[]): { failure: Failure; earlier: number }[] {
  const bySync = new Map<string, { failure: Failure; earlier: number }>();
  for (const f of failures) {
    const seen = bySync.get(f._syncId);
    if (seen) seen.earlier++;
    else bySync.set(f._syncId, { failure: f, earlier: 0 });
  }
  const rows = [...bySync.values()];
  return [...rows.filter((r) => !r.failure.syncRecovered), ...rows.filter((r) => r.failure.syncRecovered)];
}

/** The newest failed jobs across every integration: what broke, where, when and why, one click from the details. */
export function LatestFailures({ failures }: { failures: Failure[] }) {
  const rows = failuresBySync(failures);
  return (
    <Card title="Latest failures" bodyClassName="p-0">
      {!failures.length ? (
        <p className="px-4 py-6 text-center text-sm text-zinc-600">No failed jobs. Every run so far went through.</p>
      ) : (
        <ul className="divide-y divide-zinc-100" aria-label="Latest failed jobs">
          {rows.map(({ failure, earlier }) => (
            <FailureItem key={failure._syncJobId} failure={failure} earlier={earlier} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function FailureItem({ failure: f, earlier }: { failure: Failure; earlier: number }) {
  return (
    <li className={cn("px-4 py-3", f.syncRecovered && "bg-zinc-50/60")} data-testid="failure-row" data-job-id={f._syncJobId}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <p className="min-w-0 text-[13px]">
          <Link prefetch={false} href={`/syncs/${f._syncId}`} className="font-medium text-zinc-900 hover:underline">
            {f.syncName}
          </Link>
          <span className="text-zinc-500"> in </span>
          <Link prefetch={false} href={`/integrations/${f._integrationId}`} className="text-zinc-700 hover:underline">
            {f.integrationName}
          </Link>
          {f.runType === "resync" && (
            <Pill tone="violet" className="ml-2">
              Full resync
            </Pill>
          )}
          {f.syncRecovered && (
            <Pill tone="blue" className="ml-2">
              Recovered since
            </Pill>
          )}
        </p>
        <span className="whitespace-nowrap text-xs text-zinc-600">
          Failed <RelativeTime iso={f.endedAt} past />
          {earlier > 0 && <span data-testid="failure-earlier">, and {plural(earlier, "time")} before</span>}
        </span>
      </div>
      {f.errorMessage && <p className="mt-1 break-words text-[13px] text-red-800">{f.errorMessage}</p>}
      <div className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-600">
        {f.failedTables.length > 0 && (
          <span className="break-all">
            {f.failedTables.length === 1 ? "Table " : "Tables "}
            <span className="font-mono text-zinc-800">{f.failedTables.slice(0, 5).join(", ")}</span>
            {f.failedTables.length > 5 && ` and ${f.failedTables.length - 5} more`}
          </span>
        )}
        <Link prefetch={false} href={`/jobs/${f._syncJobId}`} className="font-medium text-blue-700 hover:underline">
          Open job<span className="sr-only"> of {f.syncName}</span>
        </Link>
        <Link prefetch={false} href={`/jobs/${f._syncJobId}/errors`} className="font-medium text-blue-700 hover:underline">
          {f.numErrors > 0 ? plural(f.numErrors, "error record") : "Errors"}
          <span className="sr-only"> of {f.syncName}</span>
        </Link>
      </div>
    </li>
  );
}
