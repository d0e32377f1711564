import { cn } from "./cn";

/** `data-skeleton` marks a placeholder for anything that waits for a page's data (the bench, tests). */
export function Skeleton({ className }: { className?: string }) {
  return <div data-skeleton className={cn("animate-pulse rounded bg-zinc-200/70", className)} aria-hidden />;
}

/** Placeholder rows shaped like the table that is loading. */
export function TableSkeleton({ rows = 6, cols = 6, label = "Loading" }: { rows?: number; cols?: number; label?: string }) {
  return (
    <div role="status" aria-label={label} className="divide-y divide-zinc-100 rounded-lg border border-zinc-200 bg-white">
      {Array.from({ length: rows }, (_, r) => (
        <div key={r} className="flex items-center gap-4 px-4 py-3">
          {Array.from({ length: cols }, (_, c) => (
            <Skeleton key={c} className={cn("h-3.5", c === 0 ? "w-40" : "w-16", c === cols - 1 && "ml-auto")} />
          ))}
        </div>
      ))}
      <span className="sr-only">{label}…</span>
    </div>
  );
}
