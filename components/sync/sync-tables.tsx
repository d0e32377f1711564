"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { TableSkeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/states";
import { StatusBadge } from "@/components/ui/status-badge";
import { RelativeTime } from "@/components/ui/time";
import { type CheckpointKeys, describeCheckpoint, formatNumber } from "@/lib/ui/format";
import { useRunSync } from "@/lib/ui/hooks/use-job-actions";
import { useFamily } from "@/lib/ui/hooks/use-job-data";
import { useCheckpoints } from "@/lib/ui/hooks/use-sync-data";
import { useCanWrite } from "@/lib/ui/session";
import { isActive, type SyncT, type TableJobT } from "@/lib/ui/types";

const th = "px-3 py-2 text-xs font-medium text-zinc-600";
const td = "px-3 py-2 align-middle";

const rawCursor = (c: unknown) => (typeof c === "string" ? c : JSON.stringify(c));

/** Key column names per table, so a postgres checkpoint reads "updated_at 2026-11-23 10:00 / id 812". */
function keysByTable(sync: SyncT): Map<string, CheckpointKeys> {
  const m = new Map<string, CheckpointKeys>();
  if (sync.source.type === "postgres")
    for (const t of sync.source.tables) m.set(t.name, { primaryKey: t.primaryKey, cursorColumn: t.cursorColumn });
  return m;
}

/** The sync's tables with their checkpoints and last outcome; pick some (or the failed ones) and run just those. */
export function SyncTables({ sync }: { sync: SyncT }) {
  const canWrite = useCanWrite();
  const checkpoints = useCheckpoints(sync._id);
  const latestId = sync.latestJob?._id ?? "";
  const lastRun = useFamily(latestId);
  const run = useRunSync();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirmResync, setConfirmResync] = useState(false);

  const byTable = useMemo(() => new Map((lastRun.data?.tables ?? []).map((t) => [t.tableName, t])), [lastRun.data]);
  const cpByTable = useMemo(() => new Map((checkpoints.data ?? []).map((c) => [c.tableName, c])), [checkpoints.data]);
  const keys = useMemo(() => keysByTable(sync), [sync]);
  const failed = sync.tables.filter((t) => {
    const s = byTable.get(t)?.status;
    return s === "failed" || s === "canceled";
  });
  const active = isActive(sync.latestJob?.status);
  const chosen = sync.tables.filter((t) => selected.has(t));
  const toggle = (t: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(t)) n.delete(t);
      else n.add(t);
      return n;
    });
  const allChecked = chosen.length === sync.tables.length && chosen.length > 0;
  const runChosen = (runType: "normal" | "resync") =>
    run.mutate(
      { syncId: sync._id, integrationId: sync._integrationId, syncName: sync.name, runType, tables: chosen },
      { onSuccess: () => setSelected(new Set()), onSettled: () => setConfirmResync(false) },
    );
  const writeBlocked = active ? "A job is already running for this sync" : sync.disabled ? "This sync is disabled" : undefined;

  return (
    <Card
      title={`Tables (${sync.tables.length})`}
      bodyClassName="p-0"
      actions={
        canWrite && (
          <>
            <Button
              size="xs"
              variant="ghost"
              disabled={!failed.length}
              onClick={() => setSelected(new Set(failed))}
              title="Select the tables that failed or were canceled in the last run"
            >
              Select failed of last run ({failed.length})
            </Button>
            <Button
              size="xs"
              variant="primary"
              disabled={!chosen.length || !!writeBlocked}
              title={writeBlocked}
              pending={run.isPending && run.variables?.runType === "normal" && !!run.variables.tables}
              onClick={() => runChosen("normal")}
            >
              Run selected ({chosen.length})
            </Button>
            <Button size="xs" disabled={!chosen.length || !!writeBlocked} title={writeBlocked} onClick={() => setConfirmResync(true)}>
              Resync selected
            </Button>
          </>
        )
      }
    >
      {checkpoints.error ? (
        <ErrorState
          error={checkpoints.error}
          onRetry={() => void checkpoints.refetch()}
          title="Could not load checkpoints"
          className="m-4"
        />
      ) : !checkpoints.data ? (
        <TableSkeleton rows={Math.min(6, sync.tables.length || 1)} cols={5} label="Loading tables" />
      ) : (
        <div className="max-h-[480px] overflow-auto">
          <table className="w-full min-w-[640px] text-[13px]">
            <caption className="sr-only">Tables of this sync with their checkpoints</caption>
            <thead className="sticky top-0 z-10 border-b border-zinc-200 bg-zinc-50">
              <tr>
                {canWrite && (
                  <th scope="col" className={`${th} w-8 text-left`}>
                    <input
                      type="checkbox"
                      aria-label="Select all tables"
                      checked={allChecked}
                      onChange={() => setSelected(allChecked ? new Set() : new Set(sync.tables))}
                      className="size-3.5 accent-zinc-900"
                    />
                  </th>
                )}
                <th scope="col" className={`${th} text-left`}>
                  Table
                </th>
                <th scope="col" className={`${th} text-left`}>
                  Last run
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Loaded
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Errors
                </th>
                <th scope="col" className={`${th} text-left`}>
                  Checkpoint
                </th>
                <th scope="col" className={`${th} text-left`}>
                  Checkpoint updated
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {sync.tables.map((name) => (
                <TableRow
                  key={name}
                  name={name}
                  canWrite={canWrite}
                  checked={selected.has(name)}
                  onToggle={toggle}
                  last={byTable.get(name)}
                  jobId={latestId}
                  checkpoint={cpByTable.get(name)}
                  keys={keys.get(name)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={confirmResync}
        title={`Full resync of ${chosen.length} table${chosen.length === 1 ? "" : "s"}?`}
        description={
          <>
            These tables are re-extracted from scratch and swapped in when complete:
            <span className="mt-2 block max-h-32 overflow-y-auto font-mono text-xs text-zinc-800">{chosen.join(", ")}</span>
          </>
        }
        confirmLabel="Start resync"
        pending={run.isPending}
        onClose={() => setConfirmResync(false)}
        onConfirm={() => runChosen("resync")}
      />
    </Card>
  );
}

function TableRow({
  name,
  canWrite,
  checked,
  onToggle,
  last,
  jobId,
  checkpoint,
  keys,
}: {
  name: string;
  canWrite: boolean;
  checked: boolean;
  onToggle: (t: string) => void;
  last?: TableJobT;
  jobId: string;
  checkpoint?: { cursor: unknown; updatedAt: string };
  keys?: CheckpointKeys;
}) {
  const id = `tbl-${name}`;
  return (
    <tr className={checked ? "bg-blue-50/50" : "hover:bg-zinc-50/80"} data-testid="sync-table-row" data-table={name}>
      {canWrite && (
        <td className={td}>
          <input id={id} type="checkbox" checked={checked} onChange={() => onToggle(name)} className="size-3.5 accent-zinc-900" />
        </td>
      )}
      <td className={td}>
        <label htmlFor={canWrite ? id : undefined} className="font-mono text-[12.5px] font-medium text-zinc-900">
          {name}
        </label>
      </td>
      <td className={td}>{last ? <StatusBadge status={last.status} /> : <span className="text-xs text-zinc-500">not in last run</span>}</td>
      <td className={`${td} text-right tabular-nums text-zinc-700`}>{last ? formatNumber(last.numLoadedRecords) : "—"}</td>
      <td className={`${td} text-right tabular-nums`}>
        {last && last.numErrors > 0 ? (
          <Link prefetch={false} href={`/jobs/${jobId}/errors?child=${last._id}`} className="font-medium text-red-700 hover:underline">
            {formatNumber(last.numErrors)}
          </Link>
        ) : (
          <span className="text-zinc-600">{last ? "0" : "—"}</span>
        )}
      </td>
      <td className={`${td} min-w-40 max-w-72`}>
        {checkpoint ? (
          <span className="block text-xs text-zinc-800" title={rawCursor(checkpoint.cursor)} data-testid="checkpoint-text">
            {describeCheckpoint(checkpoint.cursor, keys)}
          </span>
        ) : (
          <span className="text-xs text-zinc-500">none — next run loads everything</span>
        )}
      </td>
      <td className={`${td} whitespace-nowrap text-zinc-700`}>{checkpoint ? <RelativeTime iso={checkpoint.updatedAt} past /> : "—"}</td>
    </tr>
  );
}
