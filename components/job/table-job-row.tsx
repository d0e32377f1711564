"use client";

import Link from "next/link";
import { type CSSProperties, memo } from "react";
import { LiveDuration } from "@/components/jobs/live-duration";
import { cn } from "@/components/ui/cn";
import { ProgressBar } from "@/components/ui/progress-bar";
import { StatusBadge } from "@/components/ui/status-badge";
import { formatNumber } from "@/lib/ui/format";
import type { TableJobT } from "@/lib/ui/types";

const td = "px-3 py-2 align-middle";
const barTone: Record<string, string> = {
  running: "bg-blue-500",
  canceling: "bg-amber-500",
  completed: "bg-emerald-500",
  failed: "bg-red-500",
  canceled: "bg-zinc-400",
  queued: "bg-zinc-300",
};

/** Seconds from the job's creation, the origin of the timeline's CSS variables. */
const offset = (iso: string | undefined, origin: number) => (iso ? (Date.parse(iso) - origin) / 1000 : undefined);

/**
 * One table job. Memoized: TanStack Query keeps unchanged rows referentially equal between
 * refetches, so a progress event re-renders only the rows that changed. The timeline bar is
 * positioned by CSS variables against the span the table sets, so the clock ticking never
 * re-renders rows.
 */
export const TableJobRow = memo(function TableJobRow({ jobId, table, origin }: { jobId: string; table: TableJobT; origin: number }) {
  const t0 = offset(table.startedAt, origin);
  const t1 = offset(table.endedAt, origin);
  const done = table.status === "completed";
  const pct = done ? 100 : table.progress?.percentage;
  const bar: CSSProperties | undefined =
    t0 === undefined ? undefined : ({ "--t0": t0, "--t1": t1 === undefined ? "var(--now)" : t1 } as CSSProperties);
  const errorsHref = `/jobs/${jobId}/errors?child=${table._id}`;
  return (
    <tr className="hover:bg-zinc-50/80" data-testid="table-job-row" data-table={table.tableName} data-status={table.status}>
      <td className={cn(td, "max-w-64")}>
        <Link
          prefetch={false}
          href={errorsHref}
          className="font-mono text-[12.5px] font-medium text-zinc-900 hover:underline"
          title={`Errors of ${table.tableName}`}
        >
          {table.tableName}
        </Link>
        {table.errorMessage && (
          // Whole: the last sentence is usually what to do about it.
          <p className="mt-0.5 break-words text-xs text-red-700">{table.errorMessage}</p>
        )}
        {table.schemaChanges && <SchemaChanges changes={table.schemaChanges} />}
      </td>
      <td className={td}>
        <StatusBadge status={table.status} />
      </td>
      <td className={cn(td, "text-xs text-zinc-700")}>{table.stage ?? <span className="text-zinc-500">—</span>}</td>
      <td className={cn(td, "w-40")}>
        {table.status === "queued" ? (
          <span className="text-xs text-zinc-500">waiting</span>
        ) : pct === undefined && (table.status === "failed" || table.status === "canceled") ? (
          <span className="text-xs text-zinc-600">stopped</span>
        ) : (
          <div className="flex items-center gap-2">
            <ProgressBar
              value={pct}
              label={`${table.tableName} progress`}
              className="w-20"
              tone={table.status === "failed" ? "red" : done ? "emerald" : table.status === "canceled" ? "zinc" : "blue"}
            />
            <span className="w-10 text-right text-xs tabular-nums text-zinc-700">{pct === undefined ? "—" : `${pct.toFixed(0)}%`}</span>
          </div>
        )}
      </td>
      <td className={cn(td, "text-right tabular-nums text-zinc-700")}>{formatNumber(table.numExtractedRecords)}</td>
      <td className={cn(td, "text-right tabular-nums text-zinc-700")}>{formatNumber(table.numLoadedRecords)}</td>
      <td className={cn(td, "text-right tabular-nums")}>
        {table.numErrors > 0 ? (
          <Link
            prefetch={false}
            href={errorsHref}
            className="font-medium text-red-700 hover:underline"
            aria-label={`${table.numErrors} errors in ${table.tableName}`}
          >
            {formatNumber(table.numErrors)}
          </Link>
        ) : (
          <span className="text-zinc-600">0</span>
        )}
      </td>
      <td className={cn(td, "text-right tabular-nums", table.numAttempts > 1 ? "text-amber-800" : "text-zinc-700")}>{table.numAttempts}</td>
      <td className={cn(td, "whitespace-nowrap text-zinc-700")}>
        <LiveDuration startedAt={table.startedAt} endedAt={table.endedAt} />
      </td>
      <td className={cn(td, "w-[22%] min-w-40")}>
        <div className="relative h-2.5 rounded-sm bg-zinc-100" aria-hidden>
          {bar && (
            <div
              className={cn("absolute inset-y-0 min-w-[2px] rounded-sm", barTone[table.status])}
              style={{
                ...bar,
                left: "calc((var(--t0) - var(--span-start)) / var(--span-len) * 100%)",
                width: "calc((var(--t1) - var(--t0)) / var(--span-len) * 100%)",
              }}
            />
          )}
        </div>
      </td>
    </tr>
  );
});

const CHANGE_WORDS = { added: "added", widened: "widened", dropped: "dropped at the source (kept, now NULL)" } as const;

/** The warehouse columns this run changed to follow the source, in words. */
function SchemaChanges({ changes }: { changes: NonNullable<TableJobT["schemaChanges"]> }) {
  return (
    <ul
      className="mt-1 space-y-0.5 text-xs text-amber-900"
      aria-label={`Schema changes of ${changes.length} column${changes.length === 1 ? "" : "s"}`}
    >
      {changes.map((c) => (
        <li key={`${c.column}-${c.change}`} data-testid="schema-change">
          <span className="font-mono">{c.column}</span> {CHANGE_WORDS[c.change]}
          {c.change === "widened" ? ` from ${c.from} to ${c.to}` : c.change === "added" ? ` (${c.to})` : ""}
        </li>
      ))}
    </ul>
  );
}
