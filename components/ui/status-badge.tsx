import type { JobStatusT } from "@/lib/ui/types";
import { cn } from "./cn";
import { Spinner } from "./spinner";

const styles: Record<JobStatusT, { label: string; cls: string; dot: string }> = {
  queued: { label: "Queued", cls: "bg-zinc-100 text-zinc-700 ring-zinc-300", dot: "bg-zinc-500" },
  running: { label: "Running", cls: "bg-blue-50 text-blue-800 ring-blue-200", dot: "bg-blue-600" },
  canceling: { label: "Canceling", cls: "bg-amber-50 text-amber-800 ring-amber-200", dot: "bg-amber-600" },
  completed: { label: "Completed", cls: "bg-emerald-50 text-emerald-800 ring-emerald-200", dot: "bg-emerald-600" },
  failed: { label: "Failed", cls: "bg-red-50 text-red-800 ring-red-200", dot: "bg-red-600" },
  canceled: { label: "Canceled", cls: "bg-zinc-100 text-zinc-700 ring-zinc-300", dot: "bg-zinc-400" },
};

export const statusLabel = (s: JobStatusT): string => styles[s]?.label ?? s;

/** The one rendering of a job or table status, so "Running" means the same thing everywhere. */
export function StatusBadge({ status, className }: { status: JobStatusT; className?: string }) {
  const s = styles[status] ?? styles.queued;
  return (
    <span
      data-status={status}
      className={cn("inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", s.cls, className)}
    >
      {status === "canceling" ? (
        <Spinner className="size-3" />
      ) : (
        <span className={cn("size-1.5 rounded-full", s.dot, status === "running" && "animate-pulse")} aria-hidden />
      )}
      {s.label}
    </span>
  );
}

export function Pill({
  children,
  tone = "zinc",
  className,
}: {
  children: React.ReactNode;
  tone?: "zinc" | "violet" | "amber" | "blue";
  className?: string;
}) {
  const tones = {
    zinc: "bg-zinc-100 text-zinc-700 ring-zinc-200",
    violet: "bg-violet-50 text-violet-800 ring-violet-200",
    amber: "bg-amber-50 text-amber-800 ring-amber-200",
    blue: "bg-blue-50 text-blue-800 ring-blue-200",
  };
  return (
    <span
      className={cn("inline-flex items-center rounded px-1.5 py-0.5 text-[11px] font-medium ring-1 ring-inset", tones[tone], className)}
    >
      {children}
    </span>
  );
}
