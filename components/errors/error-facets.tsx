"use client";

import { cn } from "@/components/ui/cn";
import { Skeleton } from "@/components/ui/skeleton";
import { formatNumber } from "@/lib/ui/format";
import type { ErrorSummaryT } from "@/lib/ui/types";

type Item = { key: string; label: string; count: number };

/** Grouped counts; a click filters by that value, a second click clears it. */
function Facet({
  title,
  items,
  active,
  onPick,
  mono,
}: {
  title: string;
  items: Item[];
  active?: string;
  onPick: (v: string | undefined) => void;
  mono?: boolean;
}) {
  return (
    <div>
      <h3 className="mb-1 px-2 text-xs font-semibold uppercase tracking-wide text-zinc-600">{title}</h3>
      {!items.length ? (
        <p className="px-2 py-1 text-xs text-zinc-500">None</p>
      ) : (
        <ul className="space-y-px">
          {items.map((i) => (
            <li key={i.key}>
              <button
                type="button"
                aria-pressed={active === i.key}
                onClick={() => onPick(active === i.key ? undefined : i.key)}
                className={cn(
                  "flex w-full items-center justify-between gap-2 rounded px-2 py-1 text-left text-[13px]",
                  active === i.key ? "bg-zinc-900 text-white" : "text-zinc-800 hover:bg-zinc-100",
                )}
              >
                <span className={cn("truncate", mono && "font-mono text-xs")} title={i.label}>
                  {i.label}
                </span>
                <span className={cn("shrink-0 tabular-nums text-xs", active === i.key ? "text-zinc-200" : "text-zinc-600")}>
                  {formatNumber(i.count)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ErrorFacets({
  summary,
  filters,
  onChange,
}: {
  summary: ErrorSummaryT | undefined;
  filters: { child?: string; code?: string; stage?: string };
  onChange: (patch: { child?: string; code?: string; stage?: string }) => void;
}) {
  if (!summary)
    return (
      <div role="status" aria-label="Loading error counts" className="space-y-2 p-2">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className="h-4 w-full" />
        ))}
      </div>
    );
  return (
    <div className="space-y-5">
      <Facet
        title="Code"
        mono
        items={summary.byCode.map((c) => ({ key: c.code, label: c.code, count: c.count }))}
        active={filters.code}
        onPick={(code) => onChange({ code })}
      />
      <Facet
        title="Table"
        mono
        items={summary.byTable.map((t) => ({ key: t._childJobId, label: t.tableName, count: t.count }))}
        active={filters.child}
        onPick={(child) => onChange({ child })}
      />
      <Facet
        title="Stage"
        items={summary.byStage.map((s) => ({ key: s.stage, label: s.stage, count: s.count }))}
        active={filters.stage}
        onPick={(stage) => onChange({ stage })}
      />
    </div>
  );
}
