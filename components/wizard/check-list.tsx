import { cn } from "@/components/ui/cn";
import type { ConnectionTestT } from "@/lib/ui/hooks/use-sync-config";

const LABELS: Record<ConnectionTestT["checks"][number]["name"], string> = {
  reachable: "Server reachable",
  credentials: "Sign-in",
  database: "Database",
  rights: "Rights",
  wal_level: "wal_level",
  replication_role: "REPLICATION role",
};

/** The checks of a connection test, each with what it found; read out as a list. */
export function CheckList({ result }: { result: ConnectionTestT }) {
  return (
    <ul aria-label="Connection checks" className="space-y-1.5 rounded-md border border-zinc-200 bg-zinc-50 p-3">
      {result.checks.map((c) => {
        const state = c.ok ? "passed" : c.skipped ? "not checked" : "failed";
        return (
          <li key={c.name} data-check={c.name} data-state={state} className="flex items-start gap-2 text-[13px]">
            <span
              aria-hidden
              className={cn(
                "mt-0.5 inline-flex size-4 shrink-0 items-center justify-center rounded-full text-[10px] font-bold text-white",
                c.ok ? "bg-emerald-600" : c.skipped ? "bg-zinc-400" : "bg-red-600",
              )}
            >
              {c.ok ? "✓" : c.skipped ? "–" : "✕"}
            </span>
            <span className="min-w-0">
              <span className="font-medium text-zinc-900">{LABELS[c.name]}</span>
              <span className="sr-only"> {state}</span>
              <span className={cn("block break-words", c.ok ? "text-zinc-700" : c.skipped ? "text-zinc-500" : "text-red-800")}>
                {c.message}
              </span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/** Reachable, signed in and the database is there: enough to go on (rights are warned about, not blocking). */
export const canConnect = (r: ConnectionTestT | null | undefined): boolean =>
  !!r && r.checks.filter((c) => ["reachable", "credentials", "database"].includes(c.name)).every((c) => c.ok);
