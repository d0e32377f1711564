"use client";

import { useQuery } from "@tanstack/react-query";
import { Card, Field } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/states";
import { Pill } from "@/components/ui/status-badge";
import { apiGet } from "@/lib/ui/api-client";
import { formatNumber } from "@/lib/ui/format";
import { qk } from "@/lib/ui/query-keys";

type ReplicationStatusT = {
  slotName: string;
  publicationName: string;
  exists: boolean | null;
  active: boolean | null;
  walStatus: string | null;
  confirmedLsn: string | null;
  lagBytes: number | null;
  sourceError: string | null;
};

const UNITS = ["bytes", "KiB", "MiB", "GiB", "TiB"];
function formatLag(bytes: number): string {
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${formatNumber(v)} bytes` : `${v.toFixed(v < 10 ? 1 : 0)} ${UNITS[u]}`;
}

/**
 * The replication slot and publication a change data capture sync reads through, and how much WAL
 * the source keeps for it (the lag), refreshed every 15 seconds.
 */
export function ReplicationStatus({ syncId }: { syncId: string }) {
  const q = useQuery({
    queryKey: qk.replication(syncId),
    queryFn: ({ signal }) => apiGet<ReplicationStatusT>(`/v1/syncs/${syncId}/replication`, signal),
    refetchInterval: 15_000,
  });
  return (
    <Card title="Change data capture" actions={q.data && <SlotPill status={q.data} />}>
      {q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} title="Could not load the replication slot" />
      ) : !q.data ? (
        <p className="text-[13px] text-zinc-600" role="status">
          Asking the source…
        </p>
      ) : (
        <div className="space-y-3">
          <dl className="grid gap-3 sm:grid-cols-2" data-testid="replication-status">
            <Field label="Replication slot">
              <code className="font-mono">{q.data.slotName}</code>
            </Field>
            <Field label="Publication">
              <code className="font-mono">{q.data.publicationName}</code>
            </Field>
            <Field label="Lag">{q.data.lagBytes == null ? "—" : formatLag(q.data.lagBytes)}</Field>
            <Field label="Confirmed position">{q.data.confirmedLsn ?? "—"}</Field>
          </dl>
          {q.data.sourceError && (
            <p className="text-[13px] text-amber-800">
              The source did not answer ({q.data.sourceError}); the names above are what this sync uses.
            </p>
          )}
          {q.data.exists === false && (
            <p className="text-[13px] text-zinc-600">
              The slot does not exist yet: the first run creates it. After a lost slot, a resync recreates it.
            </p>
          )}
        </div>
      )}
    </Card>
  );
}

function SlotPill({ status }: { status: ReplicationStatusT }) {
  if (status.exists === null) return <Pill tone="amber">Source unreachable</Pill>;
  if (!status.exists) return <Pill tone="zinc">No slot</Pill>;
  if (status.walStatus === "lost") return <Pill tone="amber">Slot lost: run a resync</Pill>;
  return <Pill tone={status.active ? "blue" : "zinc"}>{status.active ? "Reading" : "Ready"}</Pill>;
}
