import type { OverviewT } from "@/lib/contracts/overview";

export type Health = OverviewT["totals"];
export type Bucket = "failing" | "running" | "neverRun" | "disabled" | "healthy";

/** The five states a sync is in on home, worst first, each with its words and colour. */
export const BUCKETS: { key: Bucket; label: string; dot: string; text: string; help: string }[] = [
  { key: "failing", label: "Failing", dot: "bg-red-600", text: "text-red-800", help: "The newest run failed" },
  { key: "running", label: "Running", dot: "bg-blue-600", text: "text-blue-800", help: "Queued, running or canceling now" },
  { key: "neverRun", label: "Never run", dot: "bg-zinc-400", text: "text-zinc-700", help: "Created but not run yet" },
  {
    key: "disabled",
    label: "Disabled",
    dot: "bg-amber-500",
    text: "text-amber-800",
    help: "Turned off: runs neither by hand nor on schedule",
  },
  { key: "healthy", label: "Healthy", dot: "bg-emerald-600", text: "text-emerald-800", help: "The newest run completed" },
];
